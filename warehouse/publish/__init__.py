"""Making a passed build current: the staging workspace and its atomic swap with a journal, the
build lock, history, and the dbt-style artifacts in target/."""
