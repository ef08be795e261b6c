from staticflops.cli import main

main()
