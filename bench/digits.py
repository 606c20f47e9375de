"""8×8 digit images, generated deterministically: the 64-input workload of the compiled bench.

Each digit 0-9 is drawn from a 5×7 stroke font into an 8×8 grid at a random offset, with
pixel noise and dropped pixels, by ``random.Random(seed)``: no file, no licence, the same
images on every machine. Pixels are in [0, 1].
"""

from __future__ import annotations

import random

_FONT = {  # 5 columns × 7 rows, '#' = ink
    0: [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
    1: ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    2: [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
    3: ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
    4: ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    5: ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    6: [".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."],
    7: ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
    8: [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    9: [".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."],
}


def digits(n: int, seed: int = 0, noise: float = 0.15) -> tuple[list[list[float]], list[int]]:
    """``n`` images (64 pixels each, row by row) and their digits, classes in turn 0..9."""
    rng = random.Random(seed)
    images, labels = [], []
    for i in range(n):
        digit = i % 10
        dx, dy = rng.randint(0, 3), rng.randint(0, 1)
        grid = [[0.0] * 8 for _ in range(8)]
        for r, row in enumerate(_FONT[digit]):
            for c, ink in enumerate(row):
                if ink == "#" and rng.random() > 0.1:  # a dropped pixel now and then
                    grid[r + dy][c + dx] = 1.0
        pixels = [min(1.0, max(0.0, p + rng.gauss(0.0, noise))) for row in grid for p in row]
        images.append(pixels)
        labels.append(digit)
    return images, labels
