import sys, importlib
import numpy as np
import model.cohesion as C
import model.bounds as B
from model import load_dataset
from model.specialist import orderings, check, parse_cell
from model.score import score
variant = sys.argv[1:]
if "sensmean" in variant:
    orig = C._components
    def spoiler(mean, worst): return 0.5*(mean+worst)
    # patch: sensitivity mean only -> by replacing spoiler_blend only in the sensitivity call is hard; patch via flag
if "fmax" in variant:
    def ff(domain_friction, framing):
        beta = C.friction_weights(C.DOMAIN_WEIGHTS[framing]).reshape(-1, *[1]*(domain_friction.ndim-1))
        return (beta*domain_friction).max(axis=0)
    C.framed_friction = ff
ds=load_dataset()
rows=orderings()
n=0
for r in rows:
    ok,h,l=check(ds,r); n+=ok
    if not ok: print("FAIL",r.higher,round(h,1),r.lower,round(l,1))
print(n,"of",len(rows))
for cell in ["squad alliance 2024","squad -JPN alliance 2024","JPN,KOR dialogue 2023","JPN,KOR dialogue 2024","camp_david dialogue 2024","quad dialogue 2024","quad alliance 2024","USA,CAN alliance 2025","nato_ip4 +CHN alliance 2024"]:
    print(cell, round(score(ds,parse_cell(ds,cell)).cohesion,1))
