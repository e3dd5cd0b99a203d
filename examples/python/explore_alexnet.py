# %% [markdown]
# # AlexNet on eyeriss, from Python
# A notebook-style tour of the dnnspace module (run it as a script, or cell by cell in
# Jupyter or VS Code). From the build tree: PYTHONPATH=build/python python3 THIS_FILE;
# after `make install` plain python3 finds the package.

# %%
import dnnspace as ds

net = ds.network("alexnet", batch=16)
eyeriss = ds.arch("eyeriss")
print(net, eyeriss)
for layer in net.layers:
    print(f"  {layer.name:6s} {layer.macs:>14,d} MACs")

# %% [markdown]
# The best mapping of every layer with 004's C|K dataflow, as `dnnspace optimize` finds it.

# %%
best = ds.optimize(net, eyeriss, dataflow="C|K")
print(f"{'layer':6s} {'dataflow':8s} {'energy (pJ)':>16s} {'pJ/MAC':>8s}")
for row in best.records():
    print(f"{row['name']:6s} {row['dataflow']:8s} {row['energy_pj']:16,.0f} {row['pj_per_mac']:8.4f}")
print(f"total {best.energy_pj:,.0f} pJ in {best.cycles:,d} cycles")

# %% [markdown]
# Records are flat rows: with pandas installed, `pandas.DataFrame(best.records())` is the
# table above with a column per level's energy.

# %%
try:
    import pandas
    print(pandas.DataFrame(best.records())[["name", "dataflow", "energy_pj", "energy_RegFile_pj"]])
except ImportError:
    print("(pandas is not installed: the records are plain dicts)")

# %% [markdown]
# How large should each PE's register file be for conv3? A sweep, as `dnnspace dse --sweep`.

# %%
sweep = ds.dse("alexnet/conv3", eyeriss, ["rf=16..512"], batch=16, dataflow="C|K")
for point in sweep.records():
    print(f"  {point['label']:8s} {point['energy_pj'] / point['macs']:.4f} pJ/MAC  area {point['area_mm2']:.3f} mm2")
rf = min(sweep.records(), key=lambda p: p["energy_pj"])
print(f"best register file for conv3: {rf['label']}")
