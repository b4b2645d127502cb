"""Batch runs: a corpus of programs, each in its own Machine, on Dask distributed (a local
cluster by default, or an existing one), one record per program.

    from sysvec.runtime import batch
    for record in batch.run(["corpus/"], workers=2, limits={"max_seconds": 10}):
        print(record["path"], record["outcome"], record["unimplemented"])

`tblc batch` (runtime/batch/cli.py) is this iterator plus a progress bar, the records file,
a summary and an HTML report."""

_EXPORTS = {"run": "api", "prepare": "api", "Task": "tasks", "BatchError": "tasks",
            "FIELDS": "records", "OUTCOMES": "records", "VOLATILE": "records",
            "read_records": "records", "stable": "records"}
__all__ = list(_EXPORTS)


def __getattr__(name):
    # `tblc build` parses the batch options too: load the batch machinery only when used.
    if name in _EXPORTS:
        from importlib import import_module
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
