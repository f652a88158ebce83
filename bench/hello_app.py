"""The baseline for bench/http_load.py: a bare Flask app under the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
