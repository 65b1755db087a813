"""The honest ladders: the paper's rungs equal the reference files, and every artefact-free or
strict rung is bounded by the raw count it refines."""

from __future__ import annotations

import pytest

from mi_ident.errors import ParameterError
from mi_ident.experiments.ladders import honest_ladders
from mi_ident.weights import load_weights

from conftest import load_reference


def _counts(rungs):
    return {label: count for label, count, _ in rungs}


def test_seed_0_ladders_start_from_the_papers_counts(reference_dir):
    wf = load_weights(reference_dir / "seed_00_weights.npz")
    ref = load_reference(reference_dir, "seed_00")
    ladders = honest_ladders(wf.model, "XOR", data=(wf.data["X_eval"], wf.data["y_eval"]),
                             X_ground=wf.data["X_ground"], kinds=("circuits", "interpretations"))
    circuits, interps = _counts(ladders["circuits"]), _counts(ladders["interpretations"])
    assert circuits["paper: valid circuits (its search)"] == ref["n_valid_circuits"]
    assert interps["paper: groundings of its circuits"] == ref["total_groundings"]
    raw = circuits["valid circuits, every node mask"]
    assert raw == ref["n_valid_circuits"] + ref["info_dropped_full_node_mask"]["n_of_them_with_accuracy_gt_threshold"]
    for label in ("silent-neuron wiring merged", "distinct neuron sets", "edge-minimal circuits",
                  "valid with margin > 0.1", "edge-minimal with margin > 0.1", "valid under resample ablation"):
        assert 1 <= circuits[label] <= raw, label
    chain = [interps["interpretations, every valid circuit"], interps["threshold assignments (no don't-cares)"],
             interps["readings, noise thresholds removed"], interps["distinct input-level readings"]]
    assert chain == sorted(chain, reverse=True) and chain[-1] >= 1


def test_seed_3_algorithm_ladders(reference_dir):
    model = load_weights(reference_dir / "seed_03_weights.npz").model
    ref = load_reference(reference_dir, "seed_03")
    ladders = honest_ladders(model, "XOR", kinds=("algorithms", "mappings"))
    algorithms, mappings = _counts(ladders["algorithms"]), _counts(ladders["mappings"])
    assert algorithms["paper: aligned formulas"] == ref["n_formulas"]
    assert mappings["paper: minimal mappings"] == ref["total_mappings"]
    assert algorithms["formula classes (tables up to NOT)"] <= algorithms["aligned formulas, both pair directions"]
    assert algorithms["their classes"] <= algorithms["aligned under joint interventions"]
    assert mappings["their classes"] <= mappings["minimal mappings, joint interventions"]


def test_bad_parameters_are_named():
    with pytest.raises(ParameterError, match="kinds"):
        honest_ladders(None, kinds=("circuit",))
    with pytest.raises(ParameterError, match="margin"):
        honest_ladders(None, margin=0.7)
