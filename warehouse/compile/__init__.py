"""From a project to runnable SQL: Jinja rendering, the dependency graph, node selection and
state comparison. Imports core and project; never a database driver."""
