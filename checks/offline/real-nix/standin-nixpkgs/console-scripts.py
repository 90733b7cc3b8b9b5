"""console-scripts.py SITE LIBEXEC: for each console script of the wheels
unpacked in SITE, writes LIBEXEC/run-<name>.py, which runs it (a file named like the
package would shadow it on sys.path), and prints <name>."""
import configparser
import sys
from pathlib import Path

site, libexec = Path(sys.argv[1]), Path(sys.argv[2])
libexec.mkdir(parents=True, exist_ok=True)
for entry_points in site.glob("*.dist-info/entry_points.txt"):
    parser = configparser.ConfigParser()
    parser.read(entry_points)
    for name, ref in parser["console_scripts"].items() if "console_scripts" in parser else []:
        module, function = ref.split(":")
        (libexec / f"run-{name}.py").write_text(f"import sys\nfrom {module} import {function}\nsys.exit({function}())\n")
        print(name)
