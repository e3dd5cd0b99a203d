#!/usr/bin/env bash
# The install, as a user gets it: `cmake --install` into a fresh prefix, then a project
# outside the tree finds the package with find_package(dnnspace), builds against the
# installed headers and libraries, and must compute the same best mapping (energy and
# cycles, exactly) as the installed command.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; fail "cmake --install failed"; }
libdir=lib
[ -d "$prefix/lib" ] || libdir=$(cd "$prefix" && ls -d lib* | head -1)
for f in bin/dnnspace include/dnnspace/model/cost.hpp include/dnnspace/search/mapper.hpp \
         "$libdir/libdnnspace_model.a" "$libdir/libdnnspace_search.a" "$libdir/libdnnspace_engine.a" \
         "$libdir/cmake/dnnspace/dnnspaceConfig.cmake" "$libdir/cmake/dnnspace/dnnspaceConfigVersion.cmake" \
         share/dnnspace/examples/arch/eyeriss.yaml; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done

# The consumer, configured against the prefix only.
cmake -S "$source/tests/install/consumer" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "find_package(dnnspace) failed"; }
cmake --build "$work/consumer" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the consumer does not build"; }
read -r energy cycles < <("$work/consumer/consumer" alexnet/conv5)

# The installed command, from another directory.
(cd "$work" && "$prefix/bin/dnnspace" optimize --network alexnet --layer conv5 --batch 1 --json cli.json > /dev/null)
python3 - "$work/cli.json" "$energy" "$cycles" <<'PY'
import json, sys
total = json.load(open(sys.argv[1]))["total"]
energy, cycles = float(sys.argv[2]), int(sys.argv[3])
if total["energy_pj"] != energy or total["cycles"] != cycles:
    sys.exit(f"install_test: consumer {energy!r} pJ, {cycles} cycles; installed command {total['energy_pj']!r} pJ, {total['cycles']} cycles")
print(f"install_test: consumer and installed command agree: {energy!r} pJ, {cycles} cycles")
PY

# The Python package, where Debian's python3 looks under the prefix (for /usr/local:
# /usr/local/lib/python3.N/dist-packages, on its default sys.path), with nothing from the
# build tree on the path.
pydir=$(cd "$prefix" && ls -d lib/python3.*/dist-packages 2>/dev/null | head -1)
[ -n "$pydir" ] && [ -e "$prefix/$pydir/dnnspace/__init__.py" ] || fail "the Python package is not installed under $prefix/lib/python3.N/dist-packages"
ls "$prefix/$pydir"/dnnspace/_native*.so > /dev/null 2>&1 || fail "the Python module _native is not installed"
/usr/bin/python3 -c "import sys; sys.exit(0 if '/usr/local/$pydir' in sys.path else 1)" ||
  fail "Debian's python3 does not look in /usr/local/$pydir"
py_energy=$(cd "$work" && env -u PYTHONPATH PYTHONPATH="$prefix/$pydir" /usr/bin/python3 -c "
import dnnspace, sys
assert dnnspace.__file__.startswith('$prefix'), dnnspace.__file__
print(repr(dnnspace.optimize('alexnet/conv5', 'eyeriss', batch=1).energy_pj))")
python3 -c "import sys; sys.exit(0 if float('$py_energy') == float('$energy') else 1)" ||
  fail "installed Python module: $py_energy pJ, consumer: $energy pJ"

# The figures from the installed package.
(cd "$work" && "$prefix/bin/dnnspace" plot cli.json --out cli.svg > /dev/null) || fail "the installed plot command failed"
grep -q ">conv5<" "$work/cli.svg" || fail "the installed plot command drew no conv5"

# Every command is documented by --help.
help=$("$prefix/bin/dnnspace" --help)
for command in zoo evaluate optimize train infer dataflows dse roofline scale generate plot report; do
  grep -q "^  $command" <<< "$help" || fail "--help does not list '$command'"
done
echo "install_test: passed"
