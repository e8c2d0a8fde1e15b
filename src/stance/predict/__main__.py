from stance.predict.app import main

main()
