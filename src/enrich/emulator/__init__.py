"""A local emulator of the DBLP and Semantic Scholar APIs, for tests, demos and benchmarks.

    with Emulator(faults=Faults(every=4)) as emulator:
        ...  # point ENRICH_DBLP_URL and ENRICH_S2_URL at emulator.url

or `python -m enrich.emulator --port 8321 --fault-every 4`.
"""

from enrich.emulator.server import FAULT_KINDS, Emulator, Faults
from enrich.emulator.services import Corpus

__all__ = ["FAULT_KINDS", "Corpus", "Emulator", "Faults"]
