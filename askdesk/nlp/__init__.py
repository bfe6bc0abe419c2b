"""Language tools for askdesk: story text, embeddings, grouping, evidence, scrubbing.

Plain Python with no Django import, so every part can be tested, benchmarked and run
from the command line on its own (``python -m askdesk.nlp --help``).
"""
