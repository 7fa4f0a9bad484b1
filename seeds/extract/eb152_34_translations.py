"""Unofficial English renderings of the 98 EB152/34 action texts (Chinese edition).

Why a curated table: the source is the Chinese edition and no English text is in `sources/`, so
these are our own translations, written from each action's printed Chinese text and labelled
"unofficial translation" on every row. They never replace the Chinese text (`action_zh` stays the
record); the script checks that every action has exactly one rendering, and that the figures and
document symbols printed in the Chinese text (69.3, 2024-2025, JIU/REP/2020/1 ...) reappear in it.

Output: seeds/eb152_34/eb152_action_translations.csv
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eb152_34  # noqa: E402
import seedio  # noqa: E402

STATUS = "unofficial translation"
EN = {
    "A1-001": "Arrange briefings of Member States by the External and Internal Auditors: consider more briefings"
        " during the January PBAC session, and regular updates in Member State briefings",
    "A1-002": "Evaluate reform proposals: (a) evaluate the Organization-wide contribution to the implementation and"
        " impact of GPW 13 in data and delivery; (b) mid-term evaluation of GPW 13 implementation, to identify"
        " low-risk, high-gain opportunities and areas needing further investment to reach the triple billion"
        " targets",
    "A1-003": "Further delegate authority while strengthening accountability, so that all three levels of the"
        " Organization are empowered to carry out their responsibilities efficiently, including the capacity"
        " for evaluation/review",
    "A1-004": "Promote Organization-wide culture change",
    "A1-005": "Establish a programme of support for victims/survivors across the Organization and at country level",
    "A1-006": "Set up a cross-cutting team on sexual exploitation and abuse to safeguard WHO country operations,"
        " emergency operations and other programmes in direct contact with communities, and to support risk"
        " assessments",
    "A1-007": "Build an internal and external multidisciplinary roster of PRSEAH experts for deployment at the three"
        " levels of WHO (women first)",
    "A1-008": "Establish a harmonized PRSEAH framework and standards and apply them in joint country-level operations",
    "A1-009": "Develop a risk appetite framework",
    "A1-010": "Develop a risk management strategy and strengthen systems at the three levels of WHO",
    "A1-011": "Develop a stronger statement of internal control",
    "A1-012": "Run an Organization-wide risk awareness campaign",
    "A1-013": "Strengthen the global risk, compliance and assurance programme",
    "A1-014": "Update the 2020 Country Cooperation Strategy Guide to refine the strategy's overall approach, align it"
        " with the UN Sustainable Development Cooperation Framework and the new business management system,"
        " including how country offices support technical cooperation with countries",
    "A1-015": "Monitor implementation and report to Member States through the Executive Board and the Health Assembly",
    "A1-016": "Reflect country-level operational challenges in the 2023 WHO country presence report, including ways"
        " to strengthen WHO Representatives' engagement with many sectors; submit it to the Seventy-sixth World"
        " Health Assembly and the Executive Board at its 154th session for discussion and consideration",
    "A1-017": "Find ways to give Executive Board members a more active understanding of WHO's successes and"
        " operational challenges at country level, including country visits, and report to the Executive Board"
        " at its 154th session",
    "A1-018": "Review and improve coordination, communication and technical coherence across the three levels of the"
        " Organization for impact in countries",
    "A1-019": "Hold briefings on the current resource allocation mechanisms, preparing and sharing reference material"
        " as needed",
    "A1-020": "For the increase in assessed contributions from 2024-2025, share the guiding principles for allocating"
        " assessed contributions across the three levels",
    "A1-021": "Assess available resources and financing options comprehensively to address programme budget priorities",
    "A1-022": "Fully fund the highest-priority outputs once the programme budget is approved",
    "A1-023": "Strengthen alignment between programme priorities and the corresponding financing within the approved"
        " programme budget: review donor agreements to align contributions with WHO programme budget priorities",
    "A1-024": "Review and benchmark WHO's Financial Regulations and Financial Rules against United Nations system"
        " best practice: update the Financial Regulations and Financial Rules",
    "A1-025": "Update WHO's financial statements: further action planned to make the financial statements more"
        " transparent",
    "A1-026": "Further implement the multilingualism policy, providing all documents in all six official languages:"
        " pilot the translation of the summary records of one session and assess their acceptability",
    "A1-027": "Conduct an Organization-wide learning review to identify best practices in governance, accountability"
        " and oversight in the United Nations and other multilateral bodies, and options for more effective"
        " governance and accountability/oversight in WHO",
    "A1-028": "Prepare an options paper reviewing best practices in governance and oversight in the United Nations"
        " and other multilateral bodies",
    "A1-029": "At Member States' decision, PBAC holds special or additional sessions focused on budget oversight",
    "A1-030": "(a) Extend sessions or hold thematic or topic-specific sessions; (b) hold sessions on the"
        " (non-)implementation of past Executive Board recommendations",
    "A1-031": "Determine responsibilities for financing and implementing resolutions",
    "A1-032": "Establish and apply an approval process for costing resolutions",
    "A1-033": "Update and summarize the cost implications of resolutions on WHO's external web portal",
    "A1-034": "Integrate the costing of approved resolutions into programme budget preparation",
    "A1-035": "Create a WHO accountability web page with management dashboards, including human resources positions,"
        " vacancies and recruitment",
    "A1-036": "Develop procedures to strengthen the recruitment and placement of WHO Representatives, so that they"
        " have the management and leadership capacity for WHO country offices and the capacity for technical"
        " coordination",
    "A1-037": "Strengthen vacancy notification mechanisms, increase diversity and build a talent pool for WHO"
        " positions",
    "A1-038": "Deploy human resources better, in line with the principle of geographical distribution",
    "A1-039": "Develop new initiatives and programmes consistently and transparently in consultation with Member"
        " States, including their costing and future financing options",
    "A1-040": "Improve WHO's results framework and its performance monitoring in line with results-based management"
        " principles, including joint monitoring with Member States; strengthen institutional agility and"
        " capacity at all three levels to support performance monitoring and delivery of results",
    "A1-041": "Set out a detailed consultation process for preparing the programme budget and the general programme"
        " of work",
    "A1-042": "Improve country, regional and global prioritization, with a clearer link between priorities and"
        " programme budget preparation; share the results transparently with Member States",
    "A1-043": "Provide more transparency and detail in preparing and reporting on the programme budget, especially on"
        " the proposed budget increase and likely financing, including materials, briefings and more current"
        " and potential financial information",
    "A1-044": "Improve the structure and design of the programme budget document: a modular structure whose sections"
        " can be read on their own (e.g. executive summary, outcome and output narratives)",
    "A1-045": "Prepare new supporting documents ('explainers'), e.g. on the principles and process of WHO budgeting,"
        " the prioritization process, etc. (content to be defined before each new proposed programme budget)",
    "A1-046": "Move the programme budget to a digital platform",
    "A1-047": "Develop supporting dashboards for prioritization and budgeting",
    "A1-048": "Link future programme budgets explicitly to the results report, the output scorecard, and the previous"
        " biennium's financing and implementation",
    "A1-049": "Hold Member State consultations on the presentation of the programme budget",
    "A1-050": "An executive summary added to the results report for the 2022-2023 biennium",
    "A1-051": "Report in the results report on the implementation of the recommendations of the internal audit of the"
        " results report for the 2020-2021 biennium",
    "A1-052": "Take account of external stakeholders' assessments when applying the scorecard approach",
    "A1-053": "Set up a joint working group with Member States on improving the results report",
    "A1-054": "For the draft Fourteenth General Programme of Work, invite interested Member States to assess the PAHO"
        " and WHO results frameworks and make recommendations",
    "A1-055": "Increase transparency by improving the programme budget information on the WHO programme budget"
        " portal, and work to improve WHO's 2022 Aid Transparency Index (ATI) score and ranking (score 69.3,"
        " rated 'good') by publishing performance assessment data for outputs and specific country office"
        " portfolios",
    "A1-056": "Strengthen work and publication of data on the WHO programme budget portal around 'linked data',"
        " linking the Organization with bodies publishing under the International Aid Transparency Initiative"
        " (IATI)",
    "A1-057": "Prepare an executive summary of the 2022 investment case",
    "A1-058": "Prepare a new investment case for the draft Fourteenth General Programme of Work",
    "A1-059": "(Under the mandate of the Seventy-fifth World Health Assembly) explore the feasibility of a"
        " replenishment mechanism for the base programme budget: run the replenishment after approval by the"
        " Seventy-sixth World Health Assembly",
    "A1-060": "Set common criteria for establishing expert groups and their rules of procedure",
    "A2-001": "Evaluate reform options: (a) independent evaluation of the implementation of WHO's results-based"
        " management approach; (b) independent evaluation of WHO reform and organizational management systems",
    "A2-002": "Organize briefings of Member States by the External and Internal Auditors: annual reports to the"
        " Health Assembly, and PBAC discussions",
    "A2-003": "An integrated digital recommendation-tracking platform (public web version) to include external audit"
        " recommendations (as in the annual report to the Health Assembly) and JIU recommendations",
    "A2-004": "Further delegate authority while strengthening accountability, so that all three levels of the"
        " Organization are empowered to carry out their responsibilities efficiently: publish the"
        " accountability compacts with Assistant Directors-General and Regional Directors",
    "A2-005": "Develop a new policy on sexual misconduct (including an accountability framework); update the policy"
        " on protection against retaliation",
    "A2-006": "Expand WHO's investigative capacity and clear the backlog",
    "A2-007": "Develop a three-year strategy on preventing and responding to sexual exploitation, abuse and harassment",
    "A2-008": "Implement the October 2021 PRSEAH actions",
    "A2-009": "External audit of all complaints/cases of sexual exploitation and abuse and of sexual harassment"
        " received from mid-2018 to mid-2021, and review of the overall effectiveness of the end-to-end process",
    "A2-010": "Develop and implement a sexual exploitation and abuse risk assessment and mitigation tool for WHO",
    "A2-011": "Revise WHO's Emergency Response Framework to address the prevention of sexual exploitation and abuse"
        " fully, with matching emergency standard operating procedures, including the roles of personnel,"
        " managers and leadership at the three levels",
    "A2-012": "Provide PRSEAH training to country offices",
    "A2-013": "Strengthen fraud and risk management awareness and reporting mechanisms. Updated WHO's policy on"
        " preventing, detecting and responding to fraud and corruption",
    "A2-014": "Internal Oversight Services reform and the ethics function. Develop and apply term limits for the"
        " heads of the oversight and ethics functions, following the recommendations of United Nations"
        " documents JIU/REP/2020/1 and JIU/REP/2010/3 and of PBAC's report to the Executive Board at its 151st"
        " session (document EB151/2)",
    "A2-015": "Develop terms of reference/a charter for the ethics function, following the recommendations of United"
        " Nations document JIU/REP/2021/5",
    "A2-016": "Update the structure and capacity of Internal Oversight Services, including the head of investigations"
        " and reporting lines; strengthen its investigative capacity to investigate allegations of sexual"
        " exploitation, abuse and harassment effectively",
    "A2-017": "Implement the new three-level operating model",
    "A2-018": "Establish a reserve fund to bridge funding gaps caused by late funding (including funding for"
        " emergencies)",
    "A2-019": "Report regularly on the collection of assessed contributions",
    "A2-020": "Increase the transparency of resource allocation across the Organization, including a mechanism to"
        " ensure and improve equity in allocation between levels and major offices, with emphasis on the"
        " country level and underfunded programme budget outcomes (a proposal for using the increase in"
        " assessed contributions): further strengthen the Global Resource Allocation Committee for fairer and"
        " more timely allocation across the three levels",
    "A2-021": "Update the costing methodology and guidelines for resolutions",
    "A2-022": "Develop and apply costing and approval procedures for resolutions, including standard costs for common"
        " activities set in resolutions",
    "A2-023": "Improve the information given to Member States on the Secretariat's structure: publish the latest"
        " organigram (down to department level, with e-mail contacts) and update any changes regularly on the"
        " WHO website",
    "A2-024": "Increase transparency in creating and filling senior positions in WHO and report regularly to Member"
        " States: strengthen vacancy notification mechanisms, increase diversity and build a talent pool for"
        " WHO positions",
    "A2-025": "Set up a WHO efficiency task force to advise on approaches to efficiency across the three levels and"
        " to provide assessments and analysis",
    "A2-026": "Report WHO's contribution to the United Nations efficiency targets",
    "A2-027": "WHO reports to Member States on efficiency gains",
    "A2-028": "Regional committees (or subcommittees) meet to discuss the regional offices' prioritization results"
        " and give guidance",
    "A2-029": "Hold briefings for Member States on WHO's programme budget process, including implementation,"
        " monitoring and assessment of the programme budget",
    "A2-030": "Independent evaluation/audit of the results report for the 2020-2021 biennium, with clear"
        " recommendations for improvement",
    "A2-031": "Hold regular (quarterly suggested) formal and informal briefings with Member States on programme"
        " budget implementation monitoring and performance assessment, including at country level",
    "A2-032": "Set up a stronger and more regular alert mechanism (heat maps or other tools) for underfunded areas of"
        " WHO, prompting joint action by the Secretariat and Member States to adjust where possible before gaps"
        " widen",
    "A2-033": "Raise the update frequency of the WHO programme budget portal to monthly, so that Member States see"
        " the latest financing and implementation of WHO's programme budget",
    "A2-034": "Update WHO's investment case regularly: prepare the 2022 investment case",
    "A2-035": "Coordinate and give access to donor contribution information at all levels, with the donor engagement"
        " management system as the key system for drawing up donor agreements",
    "A2-036": "Oversee and coordinate resource mobilization initiatives across all levels of the Organization",
    "A2-037": "Respond to donors' requests and enquiries in a timely and appropriate way",
    "A2-038": "Explore the feasibility of a replenishment mechanism to finance the base segment of the programme"
        " budget (under the mandate of the Seventy-fifth World Health Assembly): present a decision on the"
        " feasibility of the replenishment mechanism",
}
COLUMNS = ("action_id", "action_en", "translation_status", "source_doc", "source_ref")
# Figures and symbols that must survive translation (digit runs with . / - and document symbols).
_KEPT = re.compile(r"JIU/REP/\d{4}/\d+|EB\d+/\d+|\d{4}-\d{4}|\d+\.\d+")


def rows(sources_dir: Path) -> list[dict]:
    """One row per action, in document order; every action translated, every figure kept."""
    text = (Path(sources_dir) / eb152_34.SOURCE_FILE).read_text(encoding="utf-8")
    actions = [eb152_34.action_row(r) for r in eb152_34.parse(text) if r.kind == "action"]
    keys = [a["action_id"][6:] for a in actions]
    if sorted(keys) != sorted(EN):
        raise ValueError(f"translations and actions differ: {sorted(set(keys) ^ set(EN))}")
    out = []
    for action, key in zip(actions, keys):
        for kept in _KEPT.findall(action["action_zh"]):
            if kept not in EN[key]:
                raise ValueError(f"{key}: {kept!r} is printed in the action but missing from its rendering")
        out.append({"action_id": action["action_id"], "action_en": EN[key], "translation_status": STATUS,
                    "source_doc": action["source_doc"], "source_ref": action["source_ref"]})
    return out


def main(sources_dir: Path | None = None, seeds_dir: Path | None = None) -> list[Path]:
    """Write seeds/eb152_34/eb152_action_translations.csv."""
    sources_dir, seeds_dir = seedio.resolve_dirs(sources_dir, seeds_dir)
    return [seedio.write_csv(seeds_dir / "eb152_34" / "eb152_action_translations.csv", COLUMNS, rows(sources_dir))]


if __name__ == "__main__":
    seedio.cli(main)
