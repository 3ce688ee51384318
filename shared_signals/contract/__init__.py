"""The run contract: what every platform writes and the evaluator reads, beneath both platforms.

- ``codes``: the journal's vocabularies (event kind, skip kind, refusal kind, notice kind, error kind);
- ``journal``: the record, its writer and reader;
- ``steps``: the one mapping from a runner step (and a platform's order events) to journal records;
- ``spec``: the run spec a column's platform process receives as one file, and the result it leaves;
- ``record``: ``inputs.json``, the typed record of a comparison (its columns, files, faults, harness);
- ``layout``: the names of a run folder's files;
- ``run_info``: ``run.json``, the same sections for every platform;
- ``platforms``: the platform registry, with each platform's capabilities;
- ``modes``: replay and live.
"""
