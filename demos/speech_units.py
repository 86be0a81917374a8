"""Speech as discrete units: vector-quantise a synthetic waveform's frames with k-means (chapter 13).

A toy "utterance" is a run of segments, each one of a few sounds (a pair of
harmonics).  The waveform is cut into frames; every frame is replaced by the
index of its nearest codeword (a discrete unit), and the waveform is rebuilt by
gluing the codewords back together.  A bigger codebook costs more bits per
frame and loses less of the signal; residual codebooks (RVQ, as in SoundStream
and EnCodec) spend bits on what the previous codebook missed.
"""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Float, Int, demo_entry

TITLE = "把声音变成离散单元：码本越大，比特率越高，失真越小"

SAMPLE_RATE = 8000  # Hz, telephone band: small enough for the browser, a real rate
MAX_K = 256
LLOYD_ITERS = 25
EXACT = 1e-12  # a relative error below this is floating-point rounding: the rebuild is exact

PARAMS = {
    "sounds": Int(4, 1, 8, label="几种声音", help="合成语音里有几种不同的「音」，每种是两个谐波的叠加"),
    "duration": Float(1.0, 0.2, 3.0, 0.1, label="时长（秒）", help="合成波形有多长，采样率固定为 8000 Hz"),
    "frame_ms": Int(20, 5, 40, label="帧长（毫秒）", help="每多少毫秒切成一帧、换成一个单元；20 毫秒即每秒 50 帧"),
    "noise": Float(
        0.05, 0.0, 0.5, 0.01, label="噪声强度", help="叠加在波形上的高斯噪声的标准差（信号的均方根约为 0.5）"
    ),
    "k": Int(16, 1, MAX_K, label="码本大小 K", help="每个码本有多少个码字；每帧用 log₂K 个比特记下它选了哪个"),
    "codebooks": Int(1, 1, 4, label="码本个数", help="残差向量量化：第 2 个码本量化第 1 个没还原好的部分，依此类推"),
    "seed": Int(0, 0, 99999, label="随机种子", help="决定合成波形（声音、分段、噪声）；同样的设置结果完全一样"),
}

PYODIDE_CASES = [
    {"sounds": 8, "duration": 3.0, "frame_ms": 5, "k": 256, "codebooks": 4, "noise": 0.5},
    {"sounds": 1, "duration": 0.2, "frame_ms": 40, "k": 1, "noise": 0.0, "seed": 3},
]

FUZZ_EXAMPLES = 15  # the largest settings take seconds


# ----------------------------------------------------------------- the toy utterance


def synth_waveform(sounds, duration, frame_ms, noise, seed):
    """(waveform, label per frame): segments of whole frames, each one of ``sounds`` tones, plus noise.

    Every tone's frequencies are whole multiples of the frame rate, so a tone's
    frames are all identical: without noise there are exactly as many distinct
    frames as distinct sounds used.
    """
    rng = np.random.default_rng(seed)
    frame_len = SAMPLE_RATE * frame_ms // 1000
    n_frames = max(1, int(round(duration * 1000 / frame_ms)))
    frame_rate = 1000 / frame_ms
    t = np.arange(frame_len) / SAMPLE_RATE
    top = int((SAMPLE_RATE / 2 - 1) // frame_rate)  # highest harmonic below Nyquist
    tones = []
    for _ in range(sounds):
        m = rng.choice(np.arange(1, top + 1), size=2, replace=False)
        a = rng.uniform(0.3, 1.0, size=2)
        phase = rng.uniform(0, 2 * np.pi, size=2)
        tone = sum(a[i] * np.sin(2 * np.pi * m[i] * frame_rate * t + phase[i]) for i in range(2))
        tones.append(0.5 * tone / np.sqrt(np.mean(tone**2)))  # each sound at RMS 0.5
    labels = np.empty(n_frames, dtype=int)
    i, current = 0, -1
    while i < n_frames:
        length = int(rng.integers(3, 11))  # a segment lasts 3-10 frames
        choices = [s for s in range(sounds) if s != current] or [current]
        current = int(rng.choice(choices))
        labels[i : i + length] = current
        i += length
    wave = np.concatenate([tones[s] for s in labels])
    if noise > 0:
        wave = wave + noise * rng.standard_normal(wave.shape)
    return wave, labels


def frames_of(wave, frame_len):
    """The waveform cut into non-overlapping frames, shape (n_frames, frame_len)."""
    return np.asarray(wave, dtype=float).reshape(-1, frame_len)


# ----------------------------------------------------------------- k-means


def sq_dist(x, c):
    """Squared Euclidean distances between the rows of x (n, d) and of c (k, d): (n, k)."""
    d = (x * x).sum(1)[:, None] - 2 * x @ c.T + (c * c).sum(1)[None, :]
    return np.clip(d, 0.0, None)


def assign(x, codebook):
    """Index of the nearest codeword for every row (ties go to the lower index)."""
    return np.argmin(sq_dist(x, codebook), axis=1)


def distortion(x, codebook):
    """Sum over rows of the squared distance to the nearest codeword."""
    return float(sq_dist(x, codebook).min(axis=1).sum())


def grow(x, codebook, k):
    """Add the data points farthest from the codebook, one at a time, until it has k codewords.

    Stops early when every point already sits on a codeword (nothing left to cover).
    """
    codebook = np.asarray(codebook, dtype=float)
    nearest = sq_dist(x, codebook).min(axis=1)
    rows = [codebook]
    size = len(codebook)
    while size < k and nearest.max() > 0:
        j = int(np.argmax(nearest))
        rows.append(x[j : j + 1])
        nearest = np.minimum(nearest, ((x - x[j]) ** 2).sum(1))
        size += 1
    return np.concatenate(rows)


def lloyd(x, codebook, iters=LLOYD_ITERS):
    """Lloyd's k-means iterations from ``codebook``: (codebook, codes). Distortion never increases.

    A codeword that no point chooses keeps its place (moving it could not help).
    """
    codebook = np.array(codebook, dtype=float)
    codes = assign(x, codebook)
    for _ in range(iters):
        onehot = (codes[:, None] == np.arange(len(codebook))[None, :]).astype(float)
        counts = onehot.sum(axis=0)
        chosen = counts > 0
        codebook[chosen] = (onehot.T @ x)[chosen] / counts[chosen, None]  # each codeword: its members' mean
        new = assign(x, codebook)
        if np.array_equal(new, codes):
            break
        codes = new
    return codebook, codes


def kmeans(x, k, init=None):
    """k-means with a deterministic start: ``init`` (default: the mean) grown by farthest points.

    With at least as many codewords as distinct rows, the codebook is those rows (error 0).

    Starting from the mean guarantees the result is no worse than a single codeword
    at the mean, so a residual stage never makes the reconstruction worse.
    """
    x = np.asarray(x, dtype=float)
    distinct = np.unique(x, axis=0)
    if len(distinct) <= k:  # enough codewords for every distinct row: the optimum, zero error
        return distinct, assign(x, distinct)
    start = x.mean(axis=0, keepdims=True) if init is None else init
    return lloyd(x, grow(x, start, k))


def rvq(x, k, stages):
    """Residual vector quantisation: (codebooks, codes per stage, reconstruction)."""
    x = np.asarray(x, dtype=float)
    recon = np.zeros_like(x)
    books, all_codes = [], []
    for _ in range(stages):
        book, codes = kmeans(x - recon, k)
        recon = recon + book[codes]
        books.append(book)
        all_codes.append(codes)
    return books, all_codes, recon


def kmeans_path(x, ks):
    """One codebook per K in increasing ``ks``, each grown from the previous one: errors never rise."""
    out, book = {}, None
    for k in sorted(ks):
        book, codes = kmeans(x, k, init=book)
        out[k] = (book, codes)
    return out


# ----------------------------------------------------------------- the numbers


def bitrate(frame_rate, k, stages=1):
    """Bits per second: frames per second × codebooks × log₂K."""
    return frame_rate * stages * float(np.log2(k))


def relative_error(x, recon):
    """Share of the signal's energy the reconstruction misses: ‖x − x̂‖² / ‖x‖²."""
    x = np.asarray(x, dtype=float)
    return float(((x - recon) ** 2).sum() / (x**2).sum())


def k_grid(k):
    """Codebook sizes on the curve: 1, 2, 4, … 256, plus the reader's K."""
    return sorted({2**i for i in range(9)} | {k})


def _units_text(codes, limit=60):
    shown = " ".join(str(int(c)) for c in codes[:limit])
    return shown + (" …" if len(codes) > limit else "")


@demo_entry(PARAMS)
def run(sounds, duration, frame_ms, noise, k, codebooks, seed):
    """Views: the waveform and its rebuild, the units, error against bitrate, and the numbers."""
    frame_len = SAMPLE_RATE * frame_ms // 1000
    frame_rate = 1000 / frame_ms
    wave, _ = synth_waveform(sounds, duration, frame_ms, noise, seed)
    x = frames_of(wave, frame_len)
    n = len(x)

    grid = k_grid(k)
    errors, rates = [], []
    if codebooks == 1:
        path = kmeans_path(x, grid)
        for kk in grid:
            book, codes = path[kk]
            errors.append(relative_error(x, book[codes]))
            rates.append(bitrate(frame_rate, kk))
        book, codes = path[k]
        recon, stage_codes = book[codes], [codes]
    else:
        for kk in grid:
            errors.append(relative_error(x, rvq(x, kk, codebooks)[2]))
            rates.append(bitrate(frame_rate, kk, codebooks))
        _, stage_codes, recon = rvq(x, k, codebooks)
    errors = [0.0 if e < EXACT else e for e in errors]  # rounding noise is not an error
    err = relative_error(x, recon)
    err = 0.0 if err < EXACT else err
    rate = bitrate(frame_rate, k, codebooks)
    used = len(np.unique(stage_codes[0]))

    show = min(len(wave), int(0.1 * SAMPLE_RATE))  # the first 100 ms
    ms = np.arange(show) * 1000 / SAMPLE_RATE
    wave_view = views.line(
        ms,
        {"原始波形": wave[:show], "用离散单元重建": recon.ravel()[:show]},
        title=f"前 {show * 1000 // SAMPLE_RATE} 毫秒：原始与重建（K = {k}，{codebooks} 个码本）",
        xlabel="时间（毫秒）",
        ylabel="振幅",
    )
    units = views.text(
        _units_text(stage_codes[0]),
        title=f"第 1 个码本给出的单元序列（共 {n} 帧，每秒 {frame_rate:g} 帧；实际用到 {used} 种单元）",
    )
    curve = views.line(
        rates,
        {"重建误差（占信号能量的 %）": 100 * np.asarray(errors)},
        title=f"码本从 1 增大到 {grid[-1]}：比特率与重建误差（{codebooks} 个码本）",
        xlabel="比特率（比特/秒）",
        ylabel="重建误差（%）",
        marks=[(rate, 100 * err, f"K = {k}")],
    )
    raw_bps = SAMPLE_RATE * 16
    rows = [[kk, r, 100 * e] for kk, r, e in zip(grid, rates, errors)]
    table = views.table(["码本大小 K", "比特率（比特/秒）", "重建误差（%）"], rows, title="每个码本大小的数字")
    exact = err == 0
    snr = "无穷大（完全还原，只差浮点舍入）" if exact else f"{-10 * np.log10(err):.1f} dB"
    note = (
        f"每秒 {frame_rate:g} 帧 × {codebooks} 个码本 × log₂{k}（= {np.log2(k):.3g}）比特 = {rate:.4g} 比特/秒；"
        f"同样的波形用 16 比特 PCM 存要 {raw_bps:,} 比特/秒"
        + ("，而 K = 1 时一个比特也不用传。" if rate == 0 else f"，是这里的 {raw_bps / rate:,.0f} 倍。")
        + f"重建误差 {100 * err:.3g}%，信噪比 {snr}。"
    )
    if k >= n:
        note += f"这段声音只有 {n} 帧，K ≥ {n} 时每一帧都能分到自己的码字，当然一点不差；但比特率照样按 log₂K 算。"
    distinct = len(np.unique(x, axis=0))
    if noise == 0:
        note += f"没有噪声时只有 {distinct} 种不同的帧，K ≥ {distinct} 就能一字不差地还原。"
    else:
        note += "有噪声时每一帧都不一样，码本再大也只能一点点啃掉噪声，曲线因此拖着一条长尾。"
    return [wave_view, units, curve, table, views.text(note, title="怎么读")]
