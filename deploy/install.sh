#!/usr/bin/env bash
# Schedule the nightly build of a reform-warehouse checkout, with cron or systemd.
#
#   deploy/install.sh --systemd            # as root: units into /etc/systemd/system, timer enabled
#   deploy/install.sh --cron               # as the project's user: a block in their crontab
#   deploy/install.sh --render DIR         # only write the rendered files into DIR, for review
#   add --dry-run to any of them to print what would be done and change nothing
#
# Options: --project-dir DIR (default: the checkout holding this script), --user NAME (who
# runs the build; default: the owner of the project folder), --unit-dir DIR (default
# /etc/systemd/system). Templates: deploy/cron/, deploy/systemd/ (@PROJECT_DIR@, @RUN_AS@).
# Running it again replaces what an earlier run installed; it never adds a second schedule.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="" dry_run=0 render_dir=""
project_dir="$(dirname "$here")"
run_as="" unit_dir="/etc/systemd/system"
cron_template="$here/cron/reform-warehouse.cron"
units=(reform-warehouse-build.service reform-warehouse-build.timer)

usage() { sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*"; }
run() {   # run a command, or only show it with --dry-run
    if (( dry_run )); then echo "would run: $*"; else "$@"; fi
}

while (( $# )); do
    case "$1" in
        --cron|--systemd) mode="${1#--}" ;;
        --render) mode="render"; render_dir="${2:?--render needs a folder}"; shift ;;
        --dry-run) dry_run=1 ;;
        --project-dir) project_dir="${2:?--project-dir needs a folder}"; shift ;;
        --user) run_as="${2:?--user needs a name}"; shift ;;
        --unit-dir) unit_dir="${2:?--unit-dir needs a folder}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done
[[ -n "$mode" ]] || { usage >&2; die "choose --systemd, --cron or --render DIR"; }

[[ -d "$project_dir" ]] || die "no such folder: $project_dir"
project_dir="$(cd "$project_dir" && pwd -P)"
[[ -f "$project_dir/dbt_project.yml" && -f "$project_dir/run.py" ]] \
    || die "$project_dir is not a reform-warehouse project (needs dbt_project.yml and run.py)"
# The path goes unquoted into a crontab line and a unit file: keep it to plain characters.
[[ "$project_dir" =~ ^/[A-Za-z0-9._/+-]+$ ]] \
    || die "project path '$project_dir' has characters cron/systemd would misread; use a plain path"
run_as="${run_as:-$(stat -c %U "$project_dir")}"
[[ "$run_as" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad user name: $run_as"

render() {   # render TEMPLATE: substitute the placeholders, print the result
    sed -e "s|@PROJECT_DIR@|$project_dir|g" -e "s|@RUN_AS@|$run_as|g" "$1"
}

write_rendered() {   # write_rendered TEMPLATE DEST
    if (( dry_run )); then
        echo "would write $2:"
        render "$1" | sed 's/^/    /'
    else
        render "$1" > "$2.tmp.$$" && chmod 0644 "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
        say "wrote $2"
    fi
}

make_logs() {
    run mkdir -p "$project_dir/logs"
    if [[ "$(id -u)" == 0 && "$run_as" != root ]]; then run chown "$run_as" "$project_dir/logs"; fi
}

case "$mode" in
render)
    run mkdir -p "$render_dir"
    write_rendered "$cron_template" "$render_dir/reform-warehouse.cron"
    for unit in "${units[@]}"; do write_rendered "$here/systemd/$unit" "$render_dir/$unit"; done
    ;;
systemd)
    command -v systemctl >/dev/null || (( dry_run )) || die "systemctl not found: use --cron"
    run mkdir -p "$unit_dir"
    for unit in "${units[@]}"; do write_rendered "$here/systemd/$unit" "$unit_dir/$unit"; done
    run systemctl daemon-reload
    run systemctl enable --now reform-warehouse-build.timer
    (( dry_run )) || say "next run: systemctl list-timers reform-warehouse-build.timer; logs: journalctl -u reform-warehouse-build.service -o cat"
    ;;
cron)
    command -v crontab >/dev/null || (( dry_run )) || die "crontab not found: use --systemd"
    make_logs
    begin="# BEGIN reform-warehouse $project_dir "
    end="# END reform-warehouse $project_dir"
    crontab_user=()
    if [[ "$(id -un)" != "$run_as" ]]; then crontab_user=(-u "$run_as"); fi
    block="$(render "$cron_template")"
    if (( dry_run )); then
        echo "would replace any earlier reform-warehouse block for $project_dir in the crontab of $run_as with:"
        echo "$block" | sed 's/^/    /'
        echo "would run: crontab ${crontab_user[*]} -"
    else
        current="$(crontab "${crontab_user[@]}" -l 2>/dev/null || true)"
        # Drop an earlier block for this project (BEGIN..END), keep everything else as it was.
        kept="$(printf '%s\n' "$current" | awk -v b="$begin" -v e="$end" '
            index($0, b) == 1 { skip = 1; next }
            skip && $0 == e { skip = 0; next }
            !skip' | sed -e '/./,$!d')"
        { [[ -n "$kept" ]] && printf '%s\n' "$kept"; printf '%s\n' "$block"; } | crontab "${crontab_user[@]}" -
        say "installed the nightly build in the crontab of $run_as; logs: $project_dir/logs/build.jsonl"
    fi
    ;;
esac
