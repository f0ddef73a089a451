#!/usr/bin/env bash
# Rebuilds the embedded fonts of the report cards from Debian's fonts-noto-core (20201225-1).
# Run by hand, never by the build: the outputs are committed, so neither building nor testing
# needs fonttools. It takes each font down to the characters a Pakistani report card uses and
# keeps every OpenType layout feature (GSUB/GPOS), because the shaper needs them; hinting is
# dropped (PDF viewers do not use TrueType hinting at print sizes).
#
# usage: modules/asms/reportcard/fonts/subset.sh [DIR_WITH_NOTO_TTFS]
#   default DIR: /usr/share/fonts/truetype/noto (apt-get install fonts-noto-core fonttools)
set -euo pipefail
src=${1:-/usr/share/fonts/truetype/noto}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v pyftsubset >/dev/null || { echo "pyftsubset missing: apt-get install fonttools" >&2; exit 1; }

# Latin: ASCII, Latin-1, Latin Extended-A, general punctuation, euro, minus.
latin="U+0020-007E,U+00A0-00FF,U+0100-017F,U+2010-2027,U+2030-203A,U+20AC,U+2122,U+2212"
# Urdu: ASCII punctuation and digits the Urdu font draws itself, the Arabic block (letters,
# marks, Urdu and Arabic-Indic digits, Urdu punctuation), Arabic Supplement, joiners and bidi
# marks, and the dotted circle HarfBuzz inserts before a stray mark.
urdu="U+0020-0040,U+005B-0060,U+007B-007E,U+00A0,U+0600-06FF,U+0750-077F,U+FDF2,U+FDFA,U+FDFD,U+200C-200F,U+2010-2027,U+25CC"

for f in NotoSans-Regular NotoSans-Bold; do
	pyftsubset "$src/$f.ttf" --unicodes="$latin" --layout-features='*' --no-hinting \
		--output-file="$here/$f.ttf"
done
pyftsubset "$src/NotoNastaliqUrdu-Regular.ttf" --unicodes="$urdu" --layout-features='*' --no-hinting \
	--output-file="$here/NotoNastaliqUrdu-Regular.ttf"
ls -l "$here"/*.ttf
