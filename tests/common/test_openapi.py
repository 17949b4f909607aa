"""services/common/openapi.py: how a route is described, on a small app of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, Response, jsonify
from pydantic import BaseModel

from services.common.openapi import Upload, describe, serve_openapi, service_spec


class Made(BaseModel):
    id: str


class FileForm(BaseModel):
    file: Upload


def build(sent: list[str]) -> Flask:
    app = Flask(__name__)
    spec = service_spec("Test")

    @app.post("/things")
    @describe(spec, tag="things", ok=(201, 200), answer=Made, form=FileForm)
    def make_thing() -> tuple[Response, int]:
        return jsonify(id="a"), 201

    @app.get("/things.csv")
    @describe(spec, tag="things", as_is=True)
    def things_csv() -> Response:
        def rows() -> Iterator[str]:
            for row in ("id\n", "a\n"):
                sent.append(row)
                yield row

        return Response(rows(), mimetype="text/csv")

    serve_openapi(app, spec)
    return app


def test_describe_names_every_success_status_and_the_multipart_form():
    document = build([]).test_client().get("/openapi.json").get_json()

    operation = document["paths"]["/things"]["post"]
    assert {"200", "201", "400", "422"} <= set(operation["responses"])
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    schema = document["components"]["schemas"][form.rsplit("/", 1)[-1]]
    assert schema["properties"]["file"]["type"] == "string"
    assert schema["properties"]["file"]["format"] == "binary"


def test_a_route_described_as_is_streams_its_answer_and_is_in_the_document():
    sent: list[str] = []
    client = build(sent).test_client()

    response = client.get("/things.csv", buffered=False)

    # Not read whole ahead of the client (at most its first row, for the status and headers):
    # a large export is never held in memory at once.
    assert "a\n" not in sent
    assert response.get_data(as_text=True) == "id\na\n"
    assert response.mimetype == "text/csv"
    document = client.get("/openapi.json").get_json()
    assert "get" in document["paths"]["/things.csv"]


def test_two_models_of_one_name_in_one_document_are_refused():
    spec = service_spec("Test")
    describe(spec, tag="things", answer=Made)

    class Made2(BaseModel):
        name: str

    Made2.__name__ = "Made"
    # spectree names each schema by its class's name: the second would replace the first.
    with pytest.raises(TypeError, match="two models named Made"):
        describe(spec, tag="things", answer=Made2)
    describe(service_spec("Other"), tag="things", answer=Made2)
