// ModelwatchSources: the read and join stages of the data flow, kept apart from evaluation. It reads score and
// label rows from CSV / JSON Lines files (plain or gzip, in parallel blocks) and from PostgreSQL, counts and
// reports rejected rows, and joins them into the columnar `ScoreTable` (`ModelDataReader`). It also holds the
// small types the readers share with the job above it: `EvaluationPlan` / `TimeRange` (which rows a run reads),
// `JoinCounters`, `SegmentValueTag`, and `JobError` with its `ExitStatus`. It depends on `ModelwatchConfiguration`
// only; evaluation, push-down (including the Spark SQL source), output and the run are in `ModelwatchJob`.
