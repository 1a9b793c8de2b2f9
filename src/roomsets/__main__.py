from roomsets.cli import app

app()
