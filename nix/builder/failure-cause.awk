# The cause of a failed cargo or maturin build in one line, from its stderr
# (nix/builder/builder.sh's build log): the first crate whose build script failed,
# with the first line of its panic (or of its stderr; when cc-rs failed, the
# C compiler's first error; when its Python lacked a module, that module), else the first crate
# that did not compile, with the compiler's first error and where it is (for
# a failed link, the library it did not find, else the linker's first error,
# which names the symbol).
# Prints nothing when neither is there.
# Usage: awk -v target=TRIPLE [-v libraries=LINKS] -f failure-cause.awk BUILD_LOG
# LINKS: "<link name> <target library>" lines (WW_TARGET_LIBRARY_LINKS), so
# that a library the link did not find is named with the option that gives it.
!script && /failed to run custom build command for `/ {
  script = $0; sub(/.*command for `/, "", script); sub(/`.*/, "", script)
  own = script ~ / \(/; sub(/ \(.*/, "", script) # a path: a crate of the project
}
# a C compiler's first error, which cc-rs prints as a cargo:warning before it fails
script && !stderr && !compiler && /cargo:warning=.*(fatal )?error: / { compiler = $0; sub(/.*cargo:warning=/, "", compiler) }
script && /^ *--- stderr/ { stderr = 1; next }
stderr && !panic && /panicked at / {
  if (/panicked at '/) { why = $0; sub(/.*panicked at '/, "", why); sub(/', [^ ]*$/, "", why) }
  else { getline why }
  panic = why
}
# Python's, from a build script that runs the build's python3
script && !module && /ModuleNotFoundError: No module named '/ {
  module = $0; sub(/.*No module named '/, "", module); sub(/'.*/, "", module)
}
stderr && !said && !panic && NF { said = $0 }
!failed && /^error(\[E[0-9]+\])?: / && !/^error: (could not compile|failed to run custom build)/ {
  failed = $0; sub(/^error: /, "", failed)
  getline at; if (at ~ /-->/) { sub(/.*--> */, "", at); failed = failed " (" at ")" }
}
# zig's linker: unable to find dynamic system library "sqlite3"; lld's: unable to find library -lsqlite3
!missing && /error: unable to find (dynamic |static )?(system )?library / {
  missing = $0; sub(/.*library (-l)?"?/, "", missing); sub(/[" \t].*/, "", missing)
}
!linker && /= note: .*(ld\.lld|ld): error: / { linker = $0; sub(/.*(ld\.lld|ld): error: /, "", linker) }
!crate && /^error: could not compile `/ { crate = $0; sub(/.*compile `/, "", crate); sub(/`.*/, "", crate) }
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
END {
  if (script != "") {
    why = trim(panic != "" ? panic : said)
    if (compiler != "" && why ~ /cc-rs/) why = "its C compiler failed: " trim(compiler)
    if (module != "") {
      printf "the build script of %s failed (building for %s): it imports the Python module %s, which the build's python3 lacks; ", script, target, module
      print "name its package in [build-system] requires and write build-requirements.lock beside pyproject.toml with wheelwright's nix/lock-build-requirements.py (its whole output is above)"
      exit
    }
    printf "the build script of %s failed (building for %s): %s; ", script, target, why
    print (own ? "fix what it reports (its whole output is above)" \
               : "give the build what it needs, e.g. a tool or library in nativeBuildInputs (its whole output is above)")
  } else if (crate != "" && failed ~ /^linking with / && missing != "") {
    printf "linking %s failed for %s: it links the C library %s (-l%s), which the build does not have; ", crate, target, missing, missing
    n = split(libraries, links, "\n"); given = ""
    for (i = 1; i <= n; i++) { split(links[i], link, " "); if (link[1] == missing) given = link[2] }
    if (given != "")
      printf "give the build that library with targetLibraries = [ \"%s\" ], ", given
    else
      printf "give the build that library (the option targetLibraries, for those lib/data/targetLibraries.json builds), "
    print "or turn on the feature of its -sys crate that builds its own (bundled, vendored, static) (the linker's output is above)"
  } else if (crate != "" && failed ~ /^linking with / && linker != "") {
    printf "linking %s failed for %s: %s; ", crate, target, trim(linker)
    print "a library it links lacks this symbol or was not linked: give the build the library (targetLibraries, or a -sys crate that builds it), or build the crate without what needs it (the linker's output is above)"
  } else if (crate != "") {
    printf "compiling %s failed for %s: %s; ", crate, target, failed
    print (failed ~ /\(\// ? "the error is in a dependency: it may need a newer Rust (rustVersion) or not support this target (the compiler's output is above)" \
                             : "fix it (the compiler's output is above)")
  }
}
