# A deterministic Python workload for the preload test: dicts, strings, lists, sorting,
# JSON, regular expressions and threads. Prints results that must not depend on the
# allocator.
import json
import re
import threading
import zlib

def words(n, seed):
    x = seed
    out = []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append("w%x" % (x >> 40))
    return out

counts = {}
for w in words(200000, 1):
    counts[w[:4]] = counts.get(w[:4], 0) + 1
print("distinct prefixes", len(counts), "top", sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])

text = " ".join(words(50000, 2))
print("text", len(text), "crc", zlib.crc32(text.encode()))
print("regex matches", len(re.findall(r"\bw[0-9a-f]{2}7", text)))
doc = json.dumps({str(i): [i, str(i) * 3, {"k": i % 7}] for i in range(20000)}, sort_keys=True)
print("json", len(doc), "crc", zlib.crc32(doc.encode()), "roundtrip", len(json.loads(doc)))

results = [None] * 4
def work(k):
    d = {}
    for i in range(100000):
        d[(i * (k + 3)) % 5003] = str(i)
    results[k] = sum(len(v) for v in d.values())
threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("threads", results)
nested = [[str(j) * (j % 5) for j in range(i % 50)] for i in range(20000)]
print("nested", sum(len(x) for x in nested), len(sorted(nested, key=len)[-1]))
