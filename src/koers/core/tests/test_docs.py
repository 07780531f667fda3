"""The configuration docs stay true: every variable the settings read is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def settings_variables() -> set[str]:
    source = (ROOT / "src" / "koers" / "conf" / "settings.py").read_text()
    pattern = r'(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*"([A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def test_settings_read_the_variables_we_expect():
    # Guards the pattern itself: if it stopped matching, the tests below would pass on nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "KOERS_REQUIRE_2FA"} <= settings_variables()


def test_every_setting_variable_is_in_the_configuration_docs():
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(v for v in settings_variables() if f"`{v}`" not in documented)
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_every_setting_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    present = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    missing = sorted(settings_variables() - present)
    assert not missing, f"add these to .env.example: {missing}"
