"""Tests for mi_ident.boolean: gates, names, truth tables and their validation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mi_ident.boolean import (
    GATES,
    MAX_INPUTS,
    ONE_INPUT_NAMES,
    TWO_INPUT_NAMES,
    Task,
    gate_name,
    input_rows,
    make_task,
)

# Independent definitions of the gates and of the 16 named functions, as Python logic.
GATE_LOGIC = {
    "AND": lambda a, b: a and b,
    "OR": lambda a, b: a or b,
    "XOR": lambda a, b: a != b,
    "NAND": lambda a, b: not (a and b),
    "NOR": lambda a, b: not (a or b),
    "IMP": lambda a, b: (not a) or b,
    "NIMP": lambda a, b: a and not b,
}
NAME_LOGIC = {
    "FALSE": lambda a, b: False,
    "AND": lambda a, b: a and b,
    "A_NIMPLY_B": lambda a, b: a and not b,
    "A": lambda a, b: a,
    "B_NIMPLY_A": lambda a, b: b and not a,
    "B": lambda a, b: b,
    "XOR": lambda a, b: a != b,
    "OR": lambda a, b: a or b,
    "NOR": lambda a, b: not (a or b),
    "XNOR": lambda a, b: a == b,
    "NOT_B": lambda a, b: not b,
    "B_IMPLY_A": lambda a, b: (not b) or a,
    "NOT_A": lambda a, b: not a,
    "A_IMPLY_B": lambda a, b: (not a) or b,
    "NAND": lambda a, b: not (a and b),
    "TRUE": lambda a, b: True,
}
PAIRS = [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize("gate", sorted(GATES))
def test_gate_tables_match_their_logic(gate):
    expected = [int(bool(GATE_LOGIC[gate](a, b))) for a, b in PAIRS]
    assert list(GATES[gate]) == expected
    task = make_task(gate)
    assert task.table[:, 0].tolist() == expected
    assert [task(a, b) for a, b in PAIRS] == [(v,) for v in expected]


def test_two_input_names_follow_the_semantics():
    assert len(set(TWO_INPUT_NAMES)) == 16
    for name, logic in NAME_LOGIC.items():
        outputs = [int(bool(logic(a, b))) for a, b in PAIRS]
        assert gate_name(outputs) == name
        # index = outputs on 00, 01, 10, 11 read as a binary number
        assert TWO_INPUT_NAMES[int("".join(map(str, outputs)), 2)] == name


def test_gate_name_one_and_three_inputs():
    assert [gate_name(bits) for bits in ([0, 0], [0, 1], [1, 0], [1, 1])] == list(ONE_INPUT_NAMES)
    assert gate_name([0, 1, 1, 0, 1, 0, 0, 1]) == "f3[01101001]"
    assert gate_name(np.array([True, False])) == "NOT"


@pytest.mark.parametrize("bad", [[0, 2, 1, 0], [0, -1], [0.5, 1]])
def test_gate_name_rejects_non_binary(bad):
    with pytest.raises(ValueError, match="only 0 and 1"):
        gate_name(bad)


@pytest.mark.parametrize("bad", [[0, 1, 1], [], [1, 0, 1, 0, 1, 0]])
def test_gate_name_rejects_wrong_length(bad):
    with pytest.raises(ValueError, match="2\\*\\*n rows"):
        gate_name(bad)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_input_rows_is_binary_counting(n):
    assert input_rows(n).tolist() == [list(r) for r in itertools.product([0, 1], repeat=n)]


def test_from_gate_is_case_insensitive_and_immutable():
    task = Task.from_gate(" xor ")
    assert task.name == "XOR" and task.input_names == ("A", "B") and task.output_names == ("XOR",)
    assert task == make_task("XOR") and hash(task) == hash(make_task([0, 1, 1, 0]).__class__.from_gate("XOR"))
    with pytest.raises(ValueError):
        task.table[0, 0] = 1


@pytest.mark.parametrize("bad", ["XNOR", "foo", "AND2"])
def test_unknown_gate_names_the_choices(bad):
    with pytest.raises(ValueError, match="unknown gate") as info:
        make_task(bad)
    assert "XOR" in str(info.value) and "[0, 1, 1, 0]" in str(info.value)


def test_multi_output_tasks():
    for spec in ("AND+OR", "AND,OR", ["AND", "OR"], np.array(["AND", "OR"])):
        task = make_task(spec)
        assert task.n_outputs == 2 and task.output_names == ("AND", "OR") and task.name == "AND+OR"
        assert task.table.tolist() == [[0, 0], [0, 1], [0, 1], [1, 1]]
    with pytest.raises(ValueError, match="once"):
        make_task("AND+AND")
    with pytest.raises(ValueError, match="at least one"):
        make_task("")
    with pytest.raises(ValueError, match="at least one"):
        Task.from_gates([])


def test_from_table_names_two_input_functions():
    task = make_task([0, 0, 0, 1])
    assert task.name == "AND" and task.n_inputs == 2 and task.n_outputs == 1
    assert make_task([True, False, False, True]).name == "XNOR"
    both = Task.from_table([[0, 1], [1, 1], [1, 1], [0, 1]])
    assert both.output_names == ("XOR", "TRUE")
    three = Task.from_table([0, 1, 1, 0, 1, 0, 0, 1])
    assert three.n_inputs == 3 and three.input_names == ("A", "B", "C") and three.output_names == ("y0",)
    assert three(1, 1, 1) == (1,) and three(0, 1, 1) == (0,)
    custom = Task.from_table([1, 0], name="neg", input_names=["x"], output_names=["not x"])
    assert custom.name == "neg" and custom(1) == (0,)


@pytest.mark.parametrize("bad", [[0, 1, 1], [0, 1, 1, 0, 1], [1], [[0, 1], [1, 0], [1, 1]]])
def test_from_table_rejects_wrong_length(bad):
    with pytest.raises(ValueError, match="2\\*\\*n rows"):
        make_task(bad)


@pytest.mark.parametrize("bad", [[0, 2, 1, 0], [0, 1, -1, 0], [0.5, 1, 1, 0], [[0, 1], [1, 3], [1, 1], [0, 0]]])
def test_from_table_rejects_non_binary_values(bad):
    with pytest.raises(ValueError, match="only 0 and 1"):
        make_task(bad)


def test_from_table_rejects_ragged_empty_and_too_large():
    with pytest.raises(ValueError, match="rectangular"):
        Task.from_table([[0, 1], [1], [1, 0], [0, 0]])
    with pytest.raises(ValueError):
        make_task([])
    with pytest.raises(ValueError, match="at most"):
        Task.from_table(np.zeros(2 ** (MAX_INPUTS + 1), dtype=int))
    with pytest.raises(ValueError, match="input names"):
        Task.from_table([0, 1, 1, 0], input_names=["x"])
    with pytest.raises(ValueError, match="output names"):
        Task.from_table([0, 1, 1, 0], output_names=["a", "b"])


@pytest.mark.parametrize("bad", [5, None, 1.5])
def test_make_task_rejects_other_types_clearly(bad):
    with pytest.raises(TypeError, match="gate name"):
        make_task(bad)


def test_task_constructor_checks_shape():
    with pytest.raises(ValueError, match="rows"):
        Task("x", np.zeros((3, 1)), ("A", "B"), ("y",))
    with pytest.raises(ValueError, match="one column per output"):
        Task("x", np.zeros((4, 2)), ("A", "B"), ("y",))


def test_call_rejects_bad_bits():
    xor = make_task("XOR")
    for bits in [(1,), (1, 2), (0, 1, 1)]:
        with pytest.raises(ValueError, match="takes 2 bits"):
            xor(*bits)


def test_views_frame_and_text():
    task = make_task("NAND")
    frame = task.to_frame()
    assert list(frame.columns) == ["A", "B", "NAND"]
    assert frame.values.tolist() == [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 0]]
    assert str(task).splitlines()[0] == "NAND" and "<table" in task._repr_html_()
    assert repr(task) == "Task('NAND', inputs=2, outputs=1)"
    assert make_task(task) is task
    assert task != make_task("AND") and task != "NAND"
