"""What a trained model needs at scoring time: the MLflow pyfunc wrapper, the transformer scorer,
the ONNX runner and backend choice. Nothing here imports training code."""
