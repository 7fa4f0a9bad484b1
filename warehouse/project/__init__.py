"""Files to a project: warehouse.yml/dbt_project.yml, properties YAML and the nodes they declare.

Imports only warehouse.core; everything downstream (compile, pipeline, gates) reads a `Project`."""
