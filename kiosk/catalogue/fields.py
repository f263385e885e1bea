"""Reading a matter's form fields, with the checks that span fields.

A choice field must list its choices (and only a choice field may); lengths must make
sense; ``required_when`` must point at another choice field of the same matter and at one
of its values, so the form step can never wait on a condition that cannot be met.
"""

from __future__ import annotations

from kiosk.catalogue.model import Choice, FieldKind, FormField, RequiredWhen
from kiosk.catalogue.reader import KEY, Node, read_code, read_enum, read_text

MAX_LENGTH = 500
_REQUIRED = {"key", "label", "kind", "required"}
_OPTIONAL = {"min_length", "max_length", "choices", "help", "required_when"}


def read_fields(node: Node) -> tuple[FormField, ...]:
    """The ``fields`` array of one matter."""
    items = node.items(most=40)
    fields = tuple(_read_field(n) for n in items)
    by_key: dict[str, FormField] = {}
    for item, field in zip(items, fields, strict=True):
        if field.key in by_key:
            _at(item, "key").fail(f"duplicate field key {field.key!r} in this matter")
        by_key[field.key] = field
    for item, field in zip(items, fields, strict=True):
        if field.required_when is not None:
            _check_condition(_at(item, "required_when"), field, by_key)
    return fields


def _at(node: Node, key: str) -> Node:
    return Node(None, node.child(key), node.file)


def _read_field(node: Node) -> FormField:
    obj = node.obj(_REQUIRED, _OPTIONAL)
    kind = read_enum(obj.req("kind"), FieldKind, "field kind")
    required = obj.req("required").boolean()
    condition = obj.opt("required_when")
    if condition is not None and required:
        condition.fail("makes no sense with required: true")
    min_length, max_length = _read_lengths(obj.opt("min_length"), obj.opt("max_length"))
    help_node = obj.opt("help")
    return FormField(
        key=read_code(obj.req("key"), KEY, "field key"),
        label=read_text(obj.req("label"), most=100),
        kind=kind,
        required=required,
        min_length=min_length,
        max_length=max_length,
        choices=_read_choices(obj.opt("choices"), kind, node),
        help=read_text(help_node) if help_node else None,
        required_when=_read_condition(condition) if condition else None,
    )


def _read_lengths(low: Node | None, high: Node | None) -> tuple[int | None, int | None]:
    min_length = low.integer(0, MAX_LENGTH) if low else None
    max_length = high.integer(1, MAX_LENGTH) if high else None
    if high and min_length is not None and max_length is not None and min_length > max_length:
        high.fail(f"max_length {max_length} is below min_length {min_length}")
    return min_length, max_length


def _read_choices(node: Node | None, kind: FieldKind, field: Node) -> tuple[Choice, ...]:
    if kind is not FieldKind.CHOICE:
        if node is not None:
            node.fail("choices are only for fields of kind 'choice'")
        return ()
    if node is None:
        _at(field, "choices").fail("missing (a field of kind 'choice' needs choices)")
    choices: list[Choice] = []
    for item in node.items(nonempty=True, most=50):
        obj = item.obj({"value", "label"})
        value = read_code(obj.req("value"), KEY, "choice value")
        if value in (c.value for c in choices):
            obj.req("value").fail(f"duplicate choice value {value!r}")
        choices.append(Choice(value, read_text(obj.req("label"), most=100)))
    return tuple(choices)


def _read_condition(node: Node) -> RequiredWhen:
    obj = node.obj({"field", "equals"})
    return RequiredWhen(obj.req("field").string(most=64), obj.req("equals").string(most=64))


def _check_condition(node: Node, field: FormField, by_key: dict[str, FormField]) -> None:
    assert field.required_when is not None
    target_key, value = field.required_when.field, field.required_when.equals
    target = by_key.get(target_key)
    if target is None or target_key == field.key:
        node.fail(f"refers to {target_key!r}, which is not another field of this matter")
    if target.kind is not FieldKind.CHOICE:
        node.fail(f"refers to {target_key!r}, which is not a choice field")
    if value not in target.choice_values():
        node.fail(f"{value!r} is not one of the choices of {target_key!r}")
