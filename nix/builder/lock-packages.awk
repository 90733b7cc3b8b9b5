# Prints each [[package]] entry of a Cargo.lock as one line (its lines joined
# by "|"), so that `comm` can tell which entries two locks share.
/^\[\[package\]\]$/ {
  if (entry != "") print entry
  entry = $0
  next
}
/^\[/ {
  if (entry != "") print entry
  entry = ""
  next
}
entry != "" && $0 != "" { entry = entry "|" $0 }
END { if (entry != "") print entry }
