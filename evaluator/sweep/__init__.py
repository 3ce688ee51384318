"""``poc-eval sweep``: a grid of comparisons on Dask distributed (the grid file, a cell on a worker, the sweep folder, the client)."""
