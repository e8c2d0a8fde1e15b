"""What training needs: the TF-IDF + LR baseline, the transformer's training loop and ONNX export,
and where pretrained weights come from. Each model is a `_target_` in configs/model/."""
