"""The ceiling: a bare Flask app answering "hello", served like the app (`bench.hello:app`)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The least a Flask request can cost under the same server."""
    return "hello"
