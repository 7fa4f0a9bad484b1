select
    indicator_code,
    owe_code,
    so_code,
    owe_working_text,
    working_definition,
    numerator_definition,
    denominator_definition,
    unit,
    value_formula,
    region_criteria,
    definition_status,
    csu_request_quote,
    csu_request_source_doc,
    csu_request_source_ref,
    source_doc,
    source_ref
from {{ ref('so12_indicator_definitions') }}
