from scopelint.entry import main

main()
