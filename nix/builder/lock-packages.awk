# Prints each [[package]] entry of a Cargo.lock as one line: its name, version,
# source and checksum, so that `comm` can tell which packages two locks share.
# Dependency lists are left out: when a second version of a crate is dropped,
# cargo writes the remaining one's dependents' entries as "name" instead of
# "name version", and those entries are the same packages.
function flush() { if (entry != "") print entry; entry = "" }
/^\[\[package\]\]$/ { flush(); entry = "package"; next }
/^\[/ { flush(); next }
entry != "" && /^(name|version|source|checksum) = / { entry = entry "|" $0 }
END { flush() }
