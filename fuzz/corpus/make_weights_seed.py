#!/usr/bin/env python3
"""Writes the weights seed of weights_fuzz: an mlp-4-3-2 (ReLU) in the format of
docs/engine.md ("Weights file"), values 0.1, 0.2, ... Run from the repository root."""
import struct

def string(s):
    b = s.encode()
    return struct.pack('<I', len(b)) + b

params = [('fc1.weight', [3, 4]), ('fc1.bias', [3]), ('fc2.weight', [2, 3]), ('fc2.bias', [2])]
out = b'DNNSWTS1' + string('mlp-4-3-2') + string('relu') + struct.pack('<I', len(params))
value = 0.0
for name, shape in params:
    out += string(name) + struct.pack('<I', len(shape)) + b''.join(struct.pack('<q', e) for e in shape)
    count = 1
    for e in shape:
        count *= e
    for _ in range(count):
        value += 0.1
        out += struct.pack('<f', value)
open('fuzz/corpus/weights/mlp-4-3-2.bin', 'wb').write(out)
