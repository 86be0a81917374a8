"""Chapter 13 figure: what a codebook buys — reconstruction error against bitrate, and real codecs' bitrates.

Both panels use :mod:`demos.speech_units` itself: the left one quantises the
demo's default waveform with one, two and three residual codebooks; the right
one applies the demo's ``bitrate`` (frames/s × codebooks × log₂K) to the
published settings of real speech tokenisers.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

COLORS = ["#4C72B0", "#DD8452", "#55A868"]
MUTED = "#888888"

# (label, frames per second, codebooks, codebook size): published settings, cited in the chapter
CODECS = [
    ("HuBERT 单元\n50 帧/秒·K=100", 50, 1, 100),
    ("Mimi（Moshi）\n12.5 帧/秒·8×2048", 12.5, 8, 2048),
    ("EnCodec 最低档\n75 帧/秒·2×1024", 75, 2, 1024),
    ("EnCodec 最高档\n75 帧/秒·32×1024", 75, 32, 1024),
]


@figure("ch13-codebook")
def codebook():
    """Left: error vs bitrate for 1, 2, 3 codebooks on the demo's default waveform. Right: real codecs' bitrates."""
    import matplotlib.pyplot as plt

    from demos.speech_units import PARAMS, SAMPLE_RATE, bitrate, frames_of, k_grid, relative_error, rvq, synth_waveform

    p = {name: spec.default for name, spec in PARAMS.items()}
    p["duration"] = 3.0  # 150 frames: more frames than codewords, so no curve reaches exactly zero
    wave, _ = synth_waveform(p["sounds"], p["duration"], p["frame_ms"], p["noise"], p["seed"])
    x = frames_of(wave, SAMPLE_RATE * p["frame_ms"] // 1000)
    frame_rate = 1000 / p["frame_ms"]

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.1, 1]})
    for stages, color in zip((1, 2, 3), COLORS):
        ks = [k for k in k_grid(2) if k >= 2 and stages * np.log2(k) <= 7]
        rates = [bitrate(frame_rate, k, stages) for k in ks]
        errors = [100 * relative_error(x, rvq(x, k, stages)[2]) for k in ks]
        left.plot(rates, errors, "o-", color=color, ms=4, label=f"{stages} 个码本（K = {ks[0]}…{ks[-1]}）")
    left.set_yscale("log")
    left.set_xlabel("比特率（比特/秒）")
    left.set_ylabel("重建误差（占信号能量的 %，对数刻度）")
    left.set_title(f"演示的默认设置，时长改为 3 秒（每秒 {frame_rate:g} 帧，噪声 {p['noise']}）", fontsize=11)
    left.legend(frameon=False)
    left.grid(alpha=0.3, which="both")

    rates = [bitrate(fr, k, q) for _, fr, q, k in CODECS]
    pcm = SAMPLE_RATE * 16
    labels = [c[0] for c in CODECS] + ["16 比特 PCM\n8000 Hz（电话）"]
    values = rates + [pcm]
    bars = right.barh(range(len(values)), values, color=[COLORS[0]] * len(rates) + [MUTED])
    right.set_xscale("log")
    right.set_yticks(range(len(values)))
    right.set_yticklabels(labels, fontsize=9)
    right.invert_yaxis()
    for bar, v in zip(bars, values):
        right.text(v * 1.1, bar.get_y() + bar.get_height() / 2, f"{v:,.0f}", va="center", fontsize=9)
    right.set_xlim(100, 1e6)
    right.set_xlabel("比特率（比特/秒，对数刻度）= 帧/秒 × 码本数 × log₂K")
    right.set_title("真实的语音 token 化方案", fontsize=11)
    right.grid(alpha=0.3, axis="x")
    fig.suptitle("码本越大、越多，比特率越高，声音还原得越好", fontsize=12)
    fig.tight_layout()
    return fig
