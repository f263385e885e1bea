"""The ASGI plumbing the fleet server and the stand-in platform share.

- serving.py: uvicorn on a background thread, stopped gracefully in milliseconds, and
  uvicorn's HTTP protocol answering a request its parser refuses with a problem document;
- messages.py: responses, ``application/problem+json`` documents (RFC 9457), reading an
  ASGI scope and sending an answer;
- body.py: a request body bounded before it is read;
- routing.py: Starlette's own refusals and failures as problem documents, and
  ``/openapi.json`` served from a YAML file.

It imports no first-party package: each server brings its routes, its exception tree and
where its problem codes are documented (tests/test_layering.py keeps it so).
"""
