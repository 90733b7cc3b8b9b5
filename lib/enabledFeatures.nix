# The crate's features that a wheel build turns on, following what each one
# turns on: `default` (unless noDefaultFeatures), and pyproject.toml's
# `[tool.maturin] features`, which the `features` option replaces as
# maturin's --features does (maturin src/cargo_options.rs). Entries name
# the crate's features or a dependency's ("pyo3/abi3").
#
# Arguments:
#   crate              readCrate's result
#   features           the `features` option (default [ ])
#   noDefaultFeatures  the `noDefaultFeatures` option (default false)
{
  crate,
  features ? [],
  noDefaultFeatures ? false,
}: let
  enable = on: todo:
    if todo == []
    then on
    else let
      f = builtins.head todo;
      rest = builtins.tail todo;
    in
      if builtins.elem f on
      then enable on rest
      else enable (on ++ [f]) (rest ++ crate.featureTable.${f} or []);
in
  enable [] (
    (
      if noDefaultFeatures
      then []
      else ["default"]
    )
    ++ (
      if features == []
      then crate.maturinFeatures
      else features
    )
  )
