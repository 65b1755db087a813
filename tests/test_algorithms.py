"""Candidate formulas: the paper's enumeration, the extended one, parsing and errors."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import numpy as np
import pytest

from mi_ident.algorithms import Formula, FormulaSyntaxError, candidate_formulas, parse_formula
from mi_ident.boolean import GATES, input_rows


# -- an independent evaluator and enumerator -----------------------------------------------
def eval_paper_string(s: str, a: int, b: int) -> int:
    """Evaluate a paper-style string with Python operators: ``1-x`` binds tighter than ``&``,
    which binds tighter than ``|``, the same precedence as NOT > AND > OR."""
    expr = s.replace("¬", "1-").replace("*", "&").replace("+", "|")
    return int(eval(expr, {"A": a, "B": b}))


def table_of(s: str) -> tuple[int, ...]:
    return tuple(eval_paper_string(s, a, b) for a, b in itertools.product((0, 1), repeat=2))


def brute_paper_formulas(table: tuple[int, ...], depth: int) -> list[str]:
    """The paper's generator, written again with nested tuples and plain Python evaluation."""

    def s(t) -> str:
        return t if isinstance(t, str) else "(" + s(t[1]) + t[0] + s(t[2]) + ")"

    def top(t) -> str:
        x = s(t)
        return x[1:-1] if x.startswith("(") else x

    by_depth = [["A", "B"]]
    for d in range(1, depth + 1):
        by_depth.append([
            (op, f1, f2)
            for f1 in by_depth[d - 1] for d2 in range(d) for f2 in by_depth[d2]
            if top(f1) < top(f2) for op in "*+"
        ])

    def nodes(t, acc):
        acc.append(t)
        if not isinstance(t, str):
            nodes(t[1], acc)
            nodes(t[2], acc)
        return acc

    def negated(t, chosen, counter):
        i = next(counter)
        if isinstance(t, str):
            inner = t
        else:
            inner = "(" + negated(t[1], chosen, counter) + t[0] + negated(t[2], chosen, counter) + ")"
        return "¬" + inner if i in chosen else inner

    out = []
    for d in range(depth + 1):
        for base in by_depth[d]:
            k = len(nodes(base, []))
            for r in range(k + 1):
                hit = None
                for chosen in itertools.combinations(range(k), r):
                    string = negated(base, set(chosen), iter(range(k)))
                    string = string[1:-1] if string.startswith("(") else string
                    if table_of(string) == table:
                        hit = string
                        break
                if hit:
                    out.append(hit)
                    break
    return out


ALL_TABLES = [tuple(int(c) for c in format(i, "04b")) for i in range(16)]


# -- paper mode ----------------------------------------------------------------------------
def test_paper_counts_match_the_original_code():
    # README: 56 formulas for XOR, 86 for AND and OR at depth 3, with these aligned-node counts.
    xor, and_, or_ = (candidate_formulas(g, depth=3, mode="paper") for g in ("XOR", "AND", "OR"))
    assert (len(xor), len(and_), len(or_)) == (56, 86, 86)
    assert Counter(len(f.aligned_nodes) for f in xor) == {2: 2, 3: 4, 4: 17, 5: 24, 6: 9}
    expected = {0: 1, 1: 1, 2: 10, 3: 21, 4: 25, 5: 22, 6: 6}
    assert Counter(len(f.aligned_nodes) for f in and_) == expected
    assert Counter(len(f.aligned_nodes) for f in or_) == expected


@pytest.mark.parametrize("table", ALL_TABLES)
def test_paper_enumeration_equals_an_independent_one_at_depth_2(table):
    ours = [f.paper for f in candidate_formulas(list(table), depth=2, mode="paper")]
    assert ours == brute_paper_formulas(table, depth=2)


def test_paper_enumeration_equals_an_independent_one_at_depth_3_for_xor():
    assert [f.paper for f in candidate_formulas("XOR", depth=3, mode="paper")] == brute_paper_formulas((0, 1, 1, 0), 3)


@pytest.mark.parametrize("name", ["seed_03", "AND_h3_seed_00"])
def test_paper_candidates_are_the_reference_strings(reference_dir, name):
    ref = json.loads((reference_dir / f"{name}.json").read_text())
    gate = "AND" if name.startswith("AND") else "XOR"
    ours = [f.paper for f in candidate_formulas(gate, depth=3, mode="paper")]
    # the original timed every candidate formula, in enumeration order
    assert ours == list(ref["wtw_time_per_formula_s"])
    assert len(ours) == ref["n_candidate_formulas"]


@pytest.mark.parametrize("gate", ["XOR", "AND", "OR", "NAND"])
def test_every_candidate_computes_the_target(gate):
    target = GATES[gate]
    for mode in ("paper", "extended"):
        for f in candidate_formulas(gate, depth=2 if mode == "extended" else 3, mode=mode):
            assert table_of(f.paper) == target, f.paper
            assert tuple(f.truth_table) == target


def test_node_values_agree_with_the_independent_evaluator():
    for f in candidate_formulas("XOR", depth=3, mode="paper") + candidate_formulas("XOR", depth=2, mode="extended"):
        for node in f.nodes:
            assert tuple(f.values[node.id]) == table_of(node.paper), (f.paper, node.label)


# -- extended mode -------------------------------------------------------------------------
def test_extended_reaches_the_same_tables_as_brute_force():
    # Which tables can some AND/OR tree of depth <= 1 with NOTs compute? Brute force over trees.
    reached = set()
    for op in "*+":
        for negs in itertools.product(("", "¬"), repeat=4):
            s = f"{negs[0]}({negs[1]}A{op}{negs[2]}B)"
            reached.add(table_of(s))
    reached |= {table_of(x) for x in ("A", "B", "¬A", "¬B")}
    ours = {t for t in ALL_TABLES if candidate_formulas(list(t), depth=1, mode="extended")}
    assert ours == reached
    assert (0, 1, 1, 0) not in ours and (0, 0, 0, 1) in ours


def test_extended_has_no_duplicates_and_contains_paper_mode():
    def canon(t: str) -> str:
        f = parse_formula(t)

        def c(n):
            if n.is_leaf:
                return n.var
            if n.op == "NOT":
                return "¬" + c(n.children[0])
            return "(" + "".join(sorted(c(x) + "|" for x in n.children)) + n.op + ")"

        return c(f.root)

    extended = [f.paper for f in candidate_formulas("XOR", depth=2, mode="extended")]
    keys = [canon(s) for s in extended]
    assert len(keys) == len(set(keys))
    paper = [f.paper for f in candidate_formulas("XOR", depth=2, mode="paper")]
    assert {canon(s) for s in paper} <= set(keys)
    assert len(extended) > len(paper)


def test_default_mode_is_extended():
    for gate, depth in (("XOR", 2), ("AND", 2), ("OR", 1)):
        default = [f.paper for f in candidate_formulas(gate, depth=depth)]
        assert default == [f.paper for f in candidate_formulas(gate, depth=depth, mode="extended")]
    assert len(candidate_formulas("XOR", depth=2)) > len(candidate_formulas("XOR", depth=2, mode="paper"))


# -- formulas and parsing ------------------------------------------------------------------
def test_string_forms_and_ids():
    f = parse_formula("¬(A*B)*(A+B)")
    assert str(f) == "¬(A∧B)∧(A∨B)"
    assert f.paper == "¬(A*B)*(A+B)"
    assert [n.label for n in f.aligned_nodes] == ["A+B 4", "¬(A*B) 7"]
    assert f.depth == 2


@pytest.mark.parametrize(
    "text",
    ["¬(A∧B)∧(A∨B)", "~(A & B) & (A | B)", "!(A&B)&(A|B)", "¬(A*B) * (A+B)", "((¬(A*B))*((A+B)))"],
)
def test_every_syntax_gives_the_same_formula(text):
    assert parse_formula(text).paper == "¬(A*B)*(A+B)"


def test_parse_round_trips_every_candidate_with_its_ids():
    for gate in ("XOR", "AND"):
        for f in candidate_formulas(gate, depth=3, mode="paper") + candidate_formulas(gate, depth=2, mode="extended"):
            g = parse_formula(f.paper)
            assert g.paper == f.paper
            assert [n.label for n in g.nodes] == [n.label for n in f.nodes]
            assert parse_formula(str(f)).paper == f.paper


def test_precedence_and_associativity():
    assert parse_formula("A+B*¬A").paper == "A+(B*¬A)"
    assert parse_formula("A*B*A").paper == "(A*B)*A"
    assert tuple(parse_formula("¬A+B").truth_table) == (1, 1, 0, 1)


def test_interventions_on_the_high_level_model():
    f = parse_formula("¬(A*B)*(A+B)")
    assert f.evaluate(overrides={4: 1})[f.root.id].tolist() == [1, 1, 1, 0]
    assert f.forced_outputs(7).tolist() == [[0, 0, 0, 0], [0, 1, 1, 1]]
    frame = f.value_frame()
    assert list(frame.iloc[:, -1]) == [0, 1, 1, 0]


@pytest.mark.parametrize(
    "text, pos",
    [("A*(B", 4), ("A**B", 2), ("A+", 2), ("(A*B))", 5), ("A $ B", 2), ("", 0), ("A B", 2)],
)
def test_malformed_formulas_point_at_the_position(text, pos):
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    lines = str(info.value).splitlines()
    assert f"position {pos}" in lines[0]
    assert lines[1].strip() == text.strip() or text == ""
    assert lines[2].index("^") - 2 == pos


def test_wrong_number_of_inputs_is_a_clear_error():
    with pytest.raises(FormulaSyntaxError, match=r"unknown input 'C'.*A, B \(2 inputs\)"):
        parse_formula("A*C", variables=("A", "B"))
    assert parse_formula("A*C").variables == ("A", "B", "C")
    with pytest.raises(ValueError, match="one output"):
        candidate_formulas(["AND", "OR"])


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        candidate_formulas("XOR", mode="fast")
    with pytest.raises(ValueError, match="depth"):
        candidate_formulas("XOR", depth=-1)
    with pytest.raises(TypeError):
        parse_formula(3)


def test_three_input_formulas():
    f = parse_formula("(A*B)+C")
    assert f.n_inputs == 3
    rows = input_rows(3)
    assert f.truth_table.tolist() == [int((a and b) or c) for a, b, c in rows]
    parity = candidate_formulas([0, 1, 1, 0, 1, 0, 0, 1], depth=2)
    assert all(f.truth_table.tolist() == [0, 1, 1, 0, 1, 0, 0, 1] for f in parity)
    assert isinstance(parity, list) and all(isinstance(f, Formula) for f in parity)
    assert np.array_equal(f.inputs, rows)


def test_forced_outputs_in_one_pass_equal_one_at_a_time():
    for f in candidate_formulas("XOR", depth=3, mode="paper")[::3] + candidate_formulas("AND", depth=3, mode="paper")[::5]:
        together = f.aligned_forced_outputs()
        for k, node in enumerate(f.aligned_nodes):
            assert np.array_equal(together[k], f.forced_outputs(node.id))
