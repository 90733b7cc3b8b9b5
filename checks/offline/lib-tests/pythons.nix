# lib tests: the interpreter matrix and the stable ABI a crate asks for.
{
  ww,
  pyo3,
  cdylib,
  perInterpreter,
  abi3t,
  plan,
  args,
  ...
}: {
  # pyo3's `abi3` without a version builds for the CPython maturin runs
  # with, which maturin finds only natively (cross, it asks for -i:
  # src/python_interpreter/resolver.rs, discover_cross_sysconfig): the plan
  # names the oldest of the default matrix the crate allows. `abi3-py38`
  # names its floor itself.
  abi3Interpreter = {
    expr =
      map (
        p:
          builtins.filter (a: a == "--interpreter" || builtins.substring 0 6 a == "python") (args p.env.WW_BUILD_ARGS)
      ) [
        (plan {
          kind = "wheel";
          src = perInterpreter;
          target = "s390x-unknown-linux-gnu";
          features = ["pyo3/abi3"];
        })
        (plan {
          kind = "wheel";
          target = "s390x-unknown-linux-gnu";
        })
      ];
    expected = [["--interpreter" "python3.11"] []];
  };
  # A crate without abi3 gets the default matrix, narrowed by requires-python
  # and its pyo3's newest CPython; an abi3 crate builds one wheel for all.
  interpreterMatrix = {
    expr = let
      crate = requiresPython: pyo3FfiVersion: {inherit requiresPython pyo3FfiVersion;};
      matrix = c:
        ww.resolvePythonVersions {
          crate = c;
          abi3 = "per-interpreter";
        };
    in [
      (plan {
        kind = "wheel";
        src = perInterpreter;
        target = "aarch64-unknown-linux-gnu";
      })
      .pythonVersions
      (matrix (crate ">=3.12" "0.29.3"))
      (matrix (crate ">=3.8" "0.22.6"))
      (matrix (crate null null))
      (plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      })
      .pythonVersions
    ];
    expected = [
      ["3.11" "3.12" "3.13" "3.14"]
      ["3.12" "3.13" "3.14"]
      ["3.11" "3.12" "3.13"]
      ["3.11" "3.12" "3.13" "3.14"]
      null
    ];
  };
  # Every interpreter pythonVersions accepts becomes maturin's --interpreter,
  # in the order given.
  everyAcceptedInterpreter = {
    expr = builtins.filter (a: a != "--interpreter") (builtins.filter (a: builtins.match "python.*" a != null) (args
      (plan {
        kind = "wheel";
        src = perInterpreter;
        target = "aarch64-unknown-linux-gnu";
        pythonVersions = ["3.9" "3.10" "3.11" "3.12" "3.13" "3.14" "3.14t"];
      })
      .env
      .WW_BUILD_ARGS));
    expected = ["python3.9" "python3.10" "python3.11" "python3.12" "python3.13" "python3.14" "python3.14t"];
  };
  abi3FromTheCrate = {
    expr = map (src: ww.resolveAbi3 {crate = ww.readCrate {inherit src;};}) [pyo3 perInterpreter cdylib abi3t];
    expected = ["abi3" "per-interpreter" null "abi3t"];
  };
  # An abi3t crate's one wheel is built against CPython 3.15t, which maturin
  # must be told (its sysconfig is built in).
  abi3tInterpreter = {
    expr = let
      p = plan {
        kind = "wheel";
        src = abi3t;
        target = "aarch64-unknown-linux-gnu";
      };
    in {
      inherit (p) pythonVersions;
      interpreter = builtins.elemAt (args p.env.WW_BUILD_ARGS) 11;
    };
    expected = {
      pythonVersions = ["3.15t"];
      interpreter = "python3.15t";
    };
  };
  # maturin's FeatureSpec::split: plain entries and tables without conditions
  # are features; tables with conditions are for some interpreters only.
  conditionalFeaturesRead = {
    expr = let
      crate = ww.readCrate {src = ../fixtures/conditional-features;};
    in {
      inherit (crate) maturinFeatures maturinConditionalFeatures;
      abi = ww.resolveAbi3 {inherit crate;};
    };
    expected = {
      maturinFeatures = ["pyo3/extension-module" "fast"];
      maturinConditionalFeatures = [
        {
          feature = "pypy-compat";
          python-implementation = "pypy";
        }
      ];
      abi = "per-interpreter";
    };
  };
  # The `features` option replaces the pyproject's list, as maturin's
  # --features does (src/cargo_options.rs); its conditional entries go too.
  featuresOptionReplacesPyproject = {
    expr = let
      crate = {
        pyo3Features = [];
        featureTable = {};
        maturinFeatures = ["pyo3/abi3-py39"];
        maturinConditionalFeatures = [
          {
            feature = "pyo3/abi3-py311";
            python-version = ">=3.11";
          }
        ];
      };
    in [
      (ww.resolveAbi3 {
        inherit crate;
        features = ["pyo3/extension-module"];
      })
      (ww.resolveAbi3 {
        crate = crate // {maturinConditionalFeatures = [];};
      })
    ];
    expected = ["per-interpreter" "abi3"];
  };
  abi3FromFeatures = {
    expr = let
      crate = {
        pyo3Features = [];
        featureTable = {
          default = ["stable-abi"];
          stable-abi = ["pyo3/abi3-py39"];
        };
        maturinFeatures = [];
      };
    in [
      (ww.resolveAbi3 {inherit crate;})
      (ww.resolveAbi3 {
        inherit crate;
        noDefaultFeatures = true;
      })
      (ww.resolveAbi3 {
        crate = ww.readCrate {src = perInterpreter;};
        features = ["pyo3/abi3-py39"];
      })
      (ww.resolveAbi3 {
        crate = ww.readCrate {src = perInterpreter;};
        features = ["pyo3/abi3t"];
      })
    ];
    expected = ["abi3" "per-interpreter" "abi3" "abi3t"];
  };
  # both stable ABIs: maturin runs twice, without interpreters (the abi3
  # wheel) and with the free-threaded ones (cp314t, and the abi3t wheel)
  abi3AndAbi3t = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ../fixtures/abi3-and-abi3t;
        target = "x86_64-unknown-linux-gnu";
      };
      runs = builtins.filter builtins.isString (builtins.split "\n\n" p.env.WW_BUILD_ARGS);
    in {
      inherit (p) abi3 pythonVersions;
      interpreters = map (run: builtins.filter (a: builtins.match "python.*" a != null) (args run)) runs;
    };
    expected = {
      abi3 = "abi3-and-abi3t";
      pythonVersions = ["3.14t" "3.15t"];
      interpreters = [[] ["python3.14t" "python3.15t"]];
    };
  };
  # both stable ABIs and requires-python >= 3.15: no cp314t wheel
  abi3AndAbi3tFloor = {
    expr = ww.resolvePythonVersions {
      crate = {
        name = "new";
        requiresPython = ">=3.15";
        pyo3FfiVersion = "0.30.0";
      };
      abi3 = "abi3-and-abi3t";
    };
    expected = ["3.15t"];
  };
}
