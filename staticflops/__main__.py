from staticflops.cli import run

run()
