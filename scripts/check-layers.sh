#!/usr/bin/env bash
# check-layers.sh — the layers of src/: every #include "…" may only point down (docs/design/layers.md).
# Reads src/**/*.c, *.h and *.def; maps the including file and the included header to a layer by
# their first path component under src/; prints one line per violation, as FILE:LINE: MESSAGE.
# usage: check-layers.sh [SRC_DIR]   (default: the repository's src/)
# exit: 0 clean, 1 at least one violation, 2 usage error
set -euo pipefail

usage() { echo "usage: check-layers.sh [SRC_DIR]"; }

# The rules, bottom-up. A layer may include its own folder (subfolders too) and the layers listed
# on its line, which must all be of lower rank (checked below): never a higher layer, never one of
# the same rank (checks and documents). bridge and http list fewer than all the layers below them.
# Folders that do not exist yet are listed so that the check keeps working once they appear; a
# folder of src/ not listed here is an error ("unknown layer").
#   rank layer      may include
rules='
    1    util
    2    core       util
    3    oqs        util core
    4    store      util core
    5    access     util core oqs store
    6    registry   util core oqs store access
    7    identity   util core oqs store access registry
    8    checks     util core oqs store access registry identity
    8    documents  util core oqs store access registry identity
    9    verify     util core oqs store access registry identity checks documents
    10   demo       util core oqs store access registry identity checks documents verify
    11   bridge     util core oqs
    12   http       util core oqs store access registry identity checks documents verify
    13   cli        util core oqs store access registry identity checks documents verify demo bridge http
'

declare -A rank=() may=()
while read -r r name deps; do
    [ -n "${r:-}" ] || continue
    read -ra list <<<"$deps"
    rank[$name]=$r
    may[$name]=" ${list[*]} " # padded, so that *" core "* matches a whole name
done <<<"$rules"
# the table itself must point down only
for name in "${!may[@]}"; do
    for d in ${may[$name]}; do
        if [ -z "${rank[$d]:-}" ] || [ "${rank[$d]}" -ge "${rank[$name]}" ]; then
            echo "check-layers.sh: rules: $name may include $d, which is not below it" >&2
            exit 2
        fi
    done
done

case "${1:-}" in -h | --help)
    usage
    exit 0
    ;;
esac
if [ $# -gt 1 ]; then
    usage >&2
    exit 2
fi
if [ $# -eq 1 ]; then
    src=${1%/}
    [ -n "$src" ] || src=/
    shown=$src
else
    src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src
    shown=src
fi
if [ ! -d "$src" ]; then
    echo "check-layers.sh: $src: not a directory" >&2
    usage >&2
    exit 2
fi
src=$(cd "$src" && pwd)

violations=0
report() { # report FILE LINE MESSAGE (FILE relative to src/; LINE empty for a folder)
    echo "$shown/$1${2:+:$2}: $3"
    violations=$((violations + 1))
}
listing() { # listing LAYER: "util, core, …"
    local l=${may[$1]# }
    l=${l% }
    l=${l// /, }
    echo "${l:-nothing but its own folder}"
}

# every folder of src/ is a known layer; no source file lies outside a layer's folder
while IFS= read -r -d '' entry; do
    name=${entry##*/}
    if [ -d "$entry" ]; then
        [ -n "${rank[$name]:-}" ] ||
            report "$name/" "" "unknown layer '$name' (add it to the rules in scripts/check-layers.sh and to docs/design/layers.md)"
    else
        case "$name" in *.c | *.h | *.def) report "$name" "" "not inside a layer's folder" ;; esac
    fi
done < <(find "$src" -mindepth 1 -maxdepth 1 ! -name '.*' -print0 | sort -z)

files=()
while IFS= read -r -d '' f; do
    rel=${f#"$src"/}
    if [ -n "${rank[${rel%%/*}]:-}" ]; then files+=("$rel"); fi # unknown folders: reported above
done < <(find "$src" -mindepth 2 -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) \
    ! -path '*/.*' -print0 | sort -z)

n_includes=0
re='^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)"'
for rel in "${files[@]}"; do
    from=${rel%%/*}
    lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        [[ $line =~ $re ]] || continue
        inc=${BASH_REMATCH[1]}
        n_includes=$((n_includes + 1))
        # as the preprocessor does: next to the including file first, then from src/ (-I src)
        target=$inc
        [ -f "$src/${rel%/*}/$inc" ] && target=${rel%/*}/$inc
        case "/$target/" in */./* | */../* | *//*)
            target=$(realpath -m --relative-to="$src" "$src/$target")
            ;;
        esac
        case "$target" in
        ../* | ..)
            report "$rel" "$lineno" "$from includes $inc, which is outside src/"
            continue
            ;;
        */*) to=${target%%/*} ;;
        *)
            report "$rel" "$lineno" "$from includes $inc, which is not inside a layer's folder"
            continue
            ;;
        esac
        [ "$to" = "$from" ] && continue
        if [ -z "${rank[$to]:-}" ]; then
            report "$rel" "$lineno" "$from includes $inc, of unknown layer '$to'"
            continue
        fi
        [[ ${may[$from]} == *" $to "* ]] && continue
        if [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
            why="upward: $from may include $(listing "$from")"
        elif [ "${rank[$to]}" -eq "${rank[$from]}" ]; then
            why="same rank: $from may include $(listing "$from")"
        else
            why="not allowed: $from may include $(listing "$from")"
        fi
        report "$rel" "$lineno" "$from includes $inc ($why)"
    done <"$src/$rel"
done

if [ $violations -ne 0 ]; then
    echo "check-layers.sh: $violations violation(s) in $shown (${#files[@]} files, $n_includes includes)" >&2
    exit 1
fi
echo "check-layers.sh: $shown: ${#files[@]} files, $n_includes includes, no violation"
