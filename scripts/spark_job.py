"""spark-submit's entry file: runs ``saywho spark`` with the arguments it is given.

    spark-submit [spark options] scripts/spark_job.py INPUT... OUTPUT [saywho spark options]

spark-submit wants a file, not a module. This one only calls the installed saywho (the driver
and the executors must have it: docs/spark.md), so what ``mapInPandas`` ships is pickled by
reference to ``saywho.spark_worker``, which each executor imports from its own saywho. It runs
in the session spark-submit started and leaves it to spark-submit to stop.
"""

import sys

from saywho.cli import app

if __name__ == "__main__":
    app(args=["spark", *sys.argv[1:]], prog_name="saywho")
