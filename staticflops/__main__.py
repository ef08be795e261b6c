from staticflops.launch import run

run()
