"""A module declared by the test suite to prove the module contract end to end."""

from __future__ import annotations

import flask_smorest
import marshmallow as ma
from flask import Blueprint, current_app
from flask_login import login_required

from contactbook.core.platform import (
    Job,
    MenuItem,
    Module,
    NotificationType,
    Permission,
    PublicLink,
    Role,
    public,
)

pages = Blueprint("sample", __name__)
api = flask_smorest.Blueprint("sample_api", __name__, description="Sample module API")
job_runs: list[str] = []


@pages.get("/")
@login_required
def index():
    return "<h1>Sample module page</h1>"


@pages.get("/help")
@public
def help_page():
    return "<h1>Sample help for everyone</h1>"


@api.route("/ping")
@api.response(200)
def ping():
    return {"pong": True}


class EchoIn(ma.Schema):
    word = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))


@api.route("/echo", methods=["POST"])
@api.arguments(EchoIn)
@api.response(200)
def echo(payload):
    return {"word": payload["word"]}


def tidy_up() -> None:
    job_runs.append(current_app.config["SAMPLE_MARK"])


module = Module(
    name="sample",
    title="Sample",
    blueprints=(pages, api),
    permissions=(Permission("sample.things.view", "See sample things", frozenset({Role.TEACHER})),),
    menu=(MenuItem("Sample things", "sample.index", "sample.things.view"),),
    signin_links=(PublicLink("Sample help", "sample.help_page"),),
    jobs=(Job("sample.tidy_up", tidy_up, "30 3 * * *"),),
    notifications=(NotificationType("sample.thing_happened", "A thing happened"),),
)
