# wheelwright's pure library: everything here evaluates with builtins alone,
# without nixpkgs. `mkLib` (nix/mkLib.nix) adds the functions that build.
let
  targets = import ./data/targets.nix;
  resolveTarget = import ./resolveTarget.nix {inherit targets;};
  resolvePolicy = import ./resolvePolicy.nix {policies = import ./data/policies.nix;};
  readCrate = import ./readCrate.nix;
  enabledFeatures = import ./enabledFeatures.nix;
  resolveAbi3 = import ./resolveAbi3.nix;
  resolvePythonVersions = import ./resolvePythonVersions.nix {pythons = import ./data/pythons.nix;};
  options = import ./data/options.nix;
  checkOptions = import ./checkOptions.nix options;
in {
  inherit targets options checkOptions resolveTarget resolvePolicy readCrate enabledFeatures resolveAbi3 resolvePythonVersions;
  resolveRustVersion = import ./resolveRustVersion.nix;
  versionSatisfies = import ./versionSatisfies.nix;
  maturinRequirement = import ./maturinRequirement.nix;
  requirementNames = import ./requirementNames.nix;
  planBuild = import ./planBuild.nix {inherit resolveTarget resolvePolicy enabledFeatures resolveAbi3 resolvePythonVersions readCrate checkOptions;};
  outputNames = import ./outputNames.nix {inherit resolveTarget;};
  # the program that writes a project's build-requirements.lock (Python with pip)
  lockBuildRequirements = ../nix/lock-build-requirements.py;
}
