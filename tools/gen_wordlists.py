#!/usr/bin/env python3
"""Generate seedkit's word lists from Faker's locale YAML (Debian ruby-faker).

Usage: gen_wordlists.py FAKER_LOCALES_DIR OUTPUT.h

Reads the name, address, company and phone data of every Faker locale that
has given names, surnames, cities and street addresses, and writes a C
header of string arrays that src/anon/wordlists.c compiles in.  The
repository keeps no copy of Faker's data: this runs at build time.

Templates are rewritten into seedkit's template language: "{N}" is list N
of the same locale, '#' a digit, '%' a digit 1-9 (Faker's first '#'), '?'
an upper-case letter; entries holding a literal '{', '}' or '%' are
dropped.
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit('gen_wordlists: python3-yaml is required (apt-get install python3-yaml)')

SECTIONS = ('name', 'address', 'company', 'phone_number', 'cell_phone')

# Faker file stem -> seedkit locale name (joke locales are left out).
NAMES = {
    'ar': 'ar_SA', 'bg': 'bg_BG', 'ca': 'ca_ES', 'ca-CAT': 'ca_ES_CAT',
    'da-DK': 'da_DK', 'de': 'de_DE', 'de-AT': 'de_AT', 'de-CH': 'de_CH',
    'ee': 'et_EE', 'en-US': 'en_US', 'en-AU': 'en_AU', 'en-CA': 'en_CA',
    'en-GB': 'en_GB', 'en-IND': 'en_IN', 'en-MS': 'en_MY', 'en-NEP': 'en_NP',
    'en-NG': 'en_NG', 'en-NZ': 'en_NZ', 'en-PAK': 'en_PK', 'en-SG': 'en_SG',
    'en-TH': 'en_TH', 'en-UG': 'en_UG', 'en-ZA': 'en_ZA', 'es': 'es_ES',
    'es-AR': 'es_AR', 'es-MX': 'es_MX', 'fa': 'fa_IR', 'fi-FI': 'fi_FI',
    'fr': 'fr_FR', 'fr-CA': 'fr_CA', 'fr-CH': 'fr_CH', 'he': 'he_IL',
    'hy': 'hy_AM', 'id': 'id_ID', 'it': 'it_IT', 'ja': 'ja_JP',
    'ko': 'ko_KR', 'lt': 'lt_LT', 'lv': 'lv_LV', 'mi-NZ': 'mi_NZ',
    'nb-NO': 'nb_NO', 'nl': 'nl_NL', 'no': 'no_NO', 'pl': 'pl_PL',
    'pt': 'pt_PT', 'pt-BR': 'pt_BR', 'ru': 'ru_RU', 'sk': 'sk_SK',
    'sv': 'sv_SE', 'th': 'th_TH', 'tr': 'tr_TR', 'uk': 'uk_UA',
    'vi': 'vi_VN', 'zh-CN': 'zh_CN', 'zh-TW': 'zh_TW',
}

# Postcodes Faker gives as a regular expression: the same shapes as
# formats ('#' digit, '?' letter).
REGEX_POSTCODES = {
    'en-GB': ['?# #??', '?## #??', '??# #??', '??## #??'],
    'nl': ['#### ??'],
    'en-CA': ['?#? #?#'],
    'fr-CA': ['?#? #?#'],
}

# The roles seedkit uses, in the order of SkGenRole (wordlists.h).
ROLES = ('female', 'male', 'last', 'city', 'street_address', 'company',
         'phone', 'postcode', 'region', 'female_last', 'male_last')

REF = re.compile(r'#\{([A-Za-z_.]+)\}')


def load(stem, root):
    """Merge the sections we use of one Faker file (or folder)."""
    data = {}
    paths = []
    if os.path.exists(os.path.join(root, stem + '.yml')):
        paths.append(os.path.join(root, stem + '.yml'))
    for s in SECTIONS:
        p = os.path.join(root, stem, s + '.yml')
        if os.path.exists(p):
            paths.append(p)
    for p in paths:
        with open(p, encoding='utf-8') as f:
            y = yaml.safe_load(f)
        for top in (y or {}).values():
            faker = (top or {}).get('faker') or {}
            for sec, val in faker.items():
                if sec in SECTIONS and isinstance(val, dict):
                    data.setdefault(sec, {}).update(val)
    return data


def merged(stem, root):
    """A regional locale inherits its language's data (de-AT from de)."""
    if '-' in stem:
        base = stem.split('-')[0]
        if base == 'en' or os.path.exists(os.path.join(root, base + '.yml')):
            data = load(base, root)
            for sec, val in load(stem, root).items():
                data.setdefault(sec, {}).update(val)
            return data
    return load(stem, root)


def snake(name):
    return re.sub(r'(?<!^)([A-Z])', r'_\1', name).lower()


class Locale:
    """The lists one locale needs, numbered in order of first use."""

    def __init__(self, stem, data):
        self.stem = stem
        self.data = data
        self.lists = []          # (key, template?, entries)
        self.index = {}

    def raw(self, sec, key):
        v = self.data.get(sec, {}).get(key)
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            return None
        return [str(e) for e in v if isinstance(e, (str, int))]

    def plain(self, sec, key, depth=0):
        """Entries of a list of plain words, "#{x}"-only lists flattened."""
        v = self.raw(sec, key)
        if v is None or depth > 4:
            return None
        out = []
        for e in v:
            m = REF.fullmatch(e)
            if m:
                s2, k2 = self.ref(sec, m.group(1))
                sub = self.plain(s2, k2, depth + 1)
                if sub:
                    out.extend(sub)
            elif '#{' not in e and not re.search(r'[{}%]', e) and e.strip():
                out.append(e.strip())
        # keep Faker's order, drop repeats
        seen = set()
        return [e for e in out if not (e in seen or seen.add(e))] or None

    def ref(self, sec, name):
        if '.' in name:
            cls, key = name.split('.', 1)
            return snake(cls), key
        return sec, name

    def add(self, key, tpl, entries):
        if key in self.index:
            return self.index[key]
        self.index[key] = len(self.lists)
        self.lists.append([key, tpl, entries])
        return self.index[key]

    def plain_list(self, sec, key):
        words = self.plain(sec, key)
        if not words:
            return None
        return self.add(sec + '.' + key, False, words)

    def template_list(self, sec, key, depth=0):
        """A list of templates; references become "{N}"."""
        full = sec + '.' + key
        if full in self.index:
            return self.index[full]
        v = self.raw(sec, key)
        if v is None or depth > 6:
            return None
        if not any('#{' in e for e in v) and not any(re.search('[#?]', e) for e in v):
            return self.plain_list(sec, key)
        n = self.add(full, True, None)
        out = []
        for e in v:
            if re.search(r'[{}%]', REF.sub('', e)):
                continue
            ok = True
            parts = []
            pos = 0
            for m in REF.finditer(e):
                parts.append(e[pos:m.start()])
                s2, k2 = self.ref(sec, m.group(1))
                sub = self.template_list(s2, k2, depth + 1)
                if sub is None:
                    ok = False
                    break
                parts.append('{%d}' % sub)
                pos = m.end()
            if ok:
                parts.append(e[pos:])
                # as Faker's numerify: the first '#' is a digit 1-9
                out.append(''.join(parts).replace('#', '%', 1))
        if not out:
            del self.index[full]
            self.lists[n][2] = []
            return None
        self.lists[n][2] = out
        return n

    def roles(self):
        r = {}
        female = self.plain_list('name', 'female_first_name')
        male = self.plain_list('name', 'male_first_name')
        first = self.plain_list('name', 'first_name')
        r['female'] = female if female is not None else first
        r['male'] = male if male is not None else first
        if r['female'] is None:
            r['female'] = r['male']
        if r['male'] is None:
            r['male'] = r['female']
        r['last'] = self.plain_list('name', 'last_name')
        if r['last'] is None:
            # gendered surnames (bg, lt): both forms, as Faker has no common one
            self.data.setdefault('name', {})['_last'] = (self.raw('name', 'male_last_name') or []) + \
                (self.raw('name', 'female_last_name') or [])
            r['last'] = self.plain_list('name', '_last')
        r['city'] = self.template_list('address', 'city')
        if r['city'] is None:
            r['city'] = self.plain_list('address', 'city_name')
        addr = self.data.get('address', {})
        if 'street_address' not in addr and 'street_name' in addr:
            addr['street_address'] = ['#{street_name} #{building_number}'
                                      if 'building_number' in addr else '#{street_name} ##']
        r['street_address'] = self.template_list('address', 'street_address')
        r['company'] = self.template_list('company', 'name')
        phones = (self.raw('phone_number', 'formats') or []) + \
            (self.raw('cell_phone', 'formats') or [])
        if phones:
            self.data.setdefault('phone_number', {})['_all'] = phones
            r['phone'] = self.template_list('phone_number', '_all')
        pc = self.data.get('address', {}).get('postcode')
        if isinstance(pc, str) and pc.startswith('/'):
            shapes = REGEX_POSTCODES.get(self.stem) or \
                REGEX_POSTCODES.get(self.stem.split('-')[0])
            if shapes:
                self.data['address']['postcode'] = shapes
            else:
                self.data['address'].pop('postcode')
        if isinstance(self.data.get('address', {}).get('postcode'), list) and \
                len(self.data['address']['postcode']) > 1000:
            self.data['address'].pop('postcode')	# a list of real codes
        r['postcode'] = self.template_list('address', 'postcode')
        r['region'] = self.plain_list('address', 'state')
        # surnames by gender (ru: Иванов / Иванова), where Faker has them
        r['female_last'] = self.plain_list('name', 'female_last_name')
        r['male_last'] = self.plain_list('name', 'male_last_name')
        return r


def c_string(s):
    out = []
    for ch in s.encode('utf-8'):
        if ch in (0x22, 0x5c):
            out.append('\\' + chr(ch))
        elif 0x20 <= ch < 0x7f:
            out.append(chr(ch))
        else:
            out.append('\\%03o' % ch)
    # octal escapes cannot run into a following digit: they are 3 digits
    return '"' + ''.join(out) + '"'


def main():
    root, target = sys.argv[1], sys.argv[2]
    m = re.search(r'faker-([0-9][0-9.]*)', os.path.realpath(root))
    version = m.group(1).rstrip('.') if m else 'unknown'
    out = []
    out.append('/* Generated by tools/gen_wordlists.py from Faker %s (MIT); do not edit. */' % version)
    out.append('#define SK_FAKER_VERSION "%s"' % version)
    locales = []
    for stem in sorted(NAMES, key=lambda s: NAMES[s]):
        if not (os.path.exists(os.path.join(root, stem + '.yml')) or
                os.path.isdir(os.path.join(root, stem))):
            continue
        loc = Locale(stem, merged(stem, root))
        r = loc.roles()
        if None in (r['female'], r['last'], r['city']):
            continue
        cid = re.sub('[^A-Za-z0-9]', '_', NAMES[stem])
        for i, (key, tpl, entries) in enumerate(loc.lists):
            out.append('static const char *const skg_%s_%d[] = {' % (cid, i))
            for e in entries:
                out.append('\t%s,' % c_string(e))
            out.append('};')
        out.append('static const SkGenList skg_%s[] = {' % cid)
        for i, (key, tpl, entries) in enumerate(loc.lists):
            out.append('\t{%s, %s, %d, skg_%s_%d},' %
                       (c_string(key), 'true' if tpl else 'false', len(entries), cid, i))
        out.append('};')
        locales.append((NAMES[stem], stem, cid, len(loc.lists),
                        [(-1 if r.get(x) is None else r[x]) for x in ROLES]))
    out.append('static const SkGenLocale sk_gen_locales[] = {')
    for name, stem, cid, n, roles in locales:
        out.append('\t{"%s", "%s", %d, skg_%s, {%s}},' %
                   (name, stem, n, cid, ', '.join(str(x) for x in roles)))
    out.append('};')
    tmp = target + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    os.replace(tmp, target)
    print('gen_wordlists: %d locales from Faker %s' % (len(locales), version))


if __name__ == '__main__':
    main()
