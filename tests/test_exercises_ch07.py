"""Chapter 7's exercise checks: right answers pass, known mistakes get their hint, the answer stays hidden."""

from __future__ import annotations

from mi_ident.exercises import ch07
from mi_ident.explorer import Settings, circuit_view, train_with_checkpoints


def test_reference_passes_and_stub_gets_a_reminder():
    assert ch07.check_settle_epoch(ch07.settle_epoch).passed

    def stub(epochs, counts):
        raise NotImplementedError

    feedback = ch07.check_settle_epoch(stub)
    assert not feedback.passed and not feedback.implemented and "not implemented" in feedback.message


def test_known_mistakes_get_their_hint():
    for wrong, words in [(lambda e, c: e[-1], "upper bound"),
                         (lambda e, c: next((x for x, n in zip(e, c) if n), e[-1]), "stops *changing*")]:
        feedback = ch07.check_settle_epoch(wrong)
        assert not feedback.passed and words in feedback.message


def test_settle_epoch_by_brute_force():
    epochs, counts = [0, 2, 4, 6, 8, 10], [0, 5, 5, 2, 2, 2]
    expected = min(e for k, e in enumerate(epochs) if all(c == counts[-1] for c in counts[k:]))
    assert ch07.settle_epoch(epochs, counts) == expected == 6


def test_unique_gate_check_agrees_with_the_census():
    for gate in ("XOR", "NOR"):
        s = Settings.from_preset(gate, width=3, seed=0)
        run = train_with_checkpoints(s, progress=False).run_for(0)
        unique = run.accepted and circuit_view(run.model, s, n_gallery=0).n_edge_minimal == 1
        feedback = ch07.check_unique_gate(gate)
        assert feedback.passed == unique
        assert "AND" not in feedback.message or gate == "AND"  # names only the gate asked about
    assert not ch07.check_unique_gate(None).implemented
    assert "2-input gates" in ch07.check_unique_gate("MAJ3 (majority)").message
