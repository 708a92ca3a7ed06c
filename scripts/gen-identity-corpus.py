#!/usr/bin/env python3
"""Writes the labelled identity corpus (tests/data/identity/): register.csv, a resident
register in the J-LIS file format (src/identity/jlis.h), and pairs.tsv, labelled pairs of a
filing's 5情報 (ours) against one register record (theirs). The truth of every pair is the
My Number of the person each side really is: `same` when both are one person.

Deterministic; the committed files are its output (`python3 scripts/gen-identity-corpus.py`).
Cases (docs/design/identity.md): the same person written with 異体字, width, kana, spacing and
address-notation variants or without the building name; the same person who moved or changed
name (not linkable: 不一致, low risk); different people — twins, parent and child of one name,
siblings, namesakes elsewhere, a namesake who moved, similar names in one building, a family
swap (a spouse's record)."""
import random
import os

rng = random.Random(5)
out_dir = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "identity")


def mynumber(seq):
    base = "%011d" % (31415926000 + seq * 7919)
    s = 0
    for n in range(1, 12):
        p = int(base[11 - n])
        q = n + 1 if n <= 6 else n - 5
        s += p * q
    r = s % 11
    return base + str(0 if r <= 1 else 11 - r)


# (kanji, kana, variant kanji or None): the variant is a 異体字/旧字体 spelling of the same name
families = [
    ("髙橋", "タカハシ", "高橋"), ("渡邊", "ワタナベ", "渡辺"), ("齋藤", "サイトウ", "斎藤"),
    ("山﨑", "ヤマサキ", "山崎"), ("濵田", "ハマダ", "浜田"), ("邉見", "ヘンミ", "辺見"),
    ("佐藤", "サトウ", None), ("鈴木", "スズキ", None), ("田中", "タナカ", None),
    ("伊藤", "イトウ", None), ("中村", "ナカムラ", None), ("小林", "コバヤシ", None),
    ("廣瀬", "ヒロセ", "広瀬"), ("櫻井", "サクライ", "桜井"), ("澤田", "サワダ", "沢田"),
    ("國分", "コクブン", "国分"), ("吉田", "ヨシダ", None), ("松本", "マツモト", None),
]
givens_m = [("太郎", "タロウ"), ("翔", "ショウ"), ("大輔", "ダイスケ"), ("浩二", "コウジ"),
            ("健", "ケン"), ("正", "タダシ"), ("悠真", "ユウマ"), ("蓮", "レン"),
            ("修一", "シュウイチ"), ("雄一", "ユウイチ")]
givens_f = [("花子", "ハナコ"), ("美咲", "ミサキ"), ("陽菜", "ヒナ"), ("由美子", "ユミコ"),
            ("結衣", "ユイ"), ("恵", "メグミ"), ("和子", "カズコ"), ("祥子", "ショウコ"),
            ("京子", "キョウコ"), ("千尋", "チヒロ")]
# (register spelling, variants of the same address as a filing might write it)
towns = [
    ("東京都千代田区霞が関2-1-2", ["東京都千代田区霞ケ関二丁目1番地2号", "東京都千代田区霞が関２－１－２"]),
    ("東京都新宿区西新宿2-8-1", ["東京都新宿区西新宿二丁目8番1号", "東京都新宿区西新宿２丁目８番１号"]),
    ("神奈川県横浜市中区日本大通1", ["神奈川県横浜市中区日本大通１", "神奈川県横浜市中区日本大通一"]),
    ("埼玉県さいたま市浦和区高砂3-15-1", ["埼玉県さいたま市浦和区高砂三丁目15番1号", "埼玉県さいたま市浦和区高砂3‐15‐1"]),
    ("千葉県千葉市中央区市場町1-1", ["千葉県千葉市中央区市場町1番1号", "千葉県千葉市中央区市場町１－１"]),
    ("東京都八王子市元本郷町3-24-1", ["東京都八王子市元本郷町三丁目24番1号", "東京都八王子市元本郷町3丁目24-1"]),
    ("大阪府大阪市北区中之島1-3-20", ["大阪府大阪市北区中之島一丁目3番20号", "大阪府大阪市北区中之島1－3－20"]),
    ("愛知県名古屋市中区三の丸3-1-1", ["愛知県名古屋市中区三の丸三丁目1番1号", "愛知県名古屋市中区三の丸３－１－１"]),
    ("福岡県福岡市中央区天神1-8-1", ["福岡県福岡市中央区天神一丁目8番1号", "福岡県福岡市中央区天神１の８の１"]),
    ("北海道札幌市中央区北1条西2-1", ["北海道札幌市中央区北一条西二丁目1番地", "北海道札幌市中央区北１条西２－１"]),
]
buildings = ["ハイツ桜", "メゾン霞", "コーポ青葉", "グランドパレス"]

KANA_SMALL = str.maketrans("ァィゥェォャュョッ", "アイウエオヤユヨツ")
HALF = {"ア": "ｱ", "イ": "ｲ", "ウ": "ｳ", "エ": "ｴ", "オ": "ｵ", "カ": "ｶ", "キ": "ｷ", "ク": "ｸ",
        "ケ": "ｹ", "コ": "ｺ", "サ": "ｻ", "シ": "ｼ", "ス": "ｽ", "セ": "ｾ", "ソ": "ｿ", "タ": "ﾀ",
        "チ": "ﾁ", "ツ": "ﾂ", "テ": "ﾃ", "ト": "ﾄ", "ナ": "ﾅ", "ニ": "ﾆ", "ヌ": "ﾇ", "ネ": "ﾈ",
        "ノ": "ﾉ", "ハ": "ﾊ", "ヒ": "ﾋ", "フ": "ﾌ", "ヘ": "ﾍ", "ホ": "ﾎ", "マ": "ﾏ", "ミ": "ﾐ",
        "ム": "ﾑ", "メ": "ﾒ", "モ": "ﾓ", "ヤ": "ﾔ", "ユ": "ﾕ", "ヨ": "ﾖ", "ラ": "ﾗ", "リ": "ﾘ",
        "ル": "ﾙ", "レ": "ﾚ", "ロ": "ﾛ", "ワ": "ﾜ", "ン": "ﾝ", "ャ": "ｬ", "ュ": "ｭ", "ョ": "ｮ",
        "ッ": "ｯ", "ー": "ｰ", "ガ": "ｶﾞ", "ギ": "ｷﾞ", "グ": "ｸﾞ", "ゲ": "ｹﾞ", "ゴ": "ｺﾞ",
        "ザ": "ｻﾞ", "ジ": "ｼﾞ", "ズ": "ｽﾞ", "ゼ": "ｾﾞ", "ゾ": "ｿﾞ", "ダ": "ﾀﾞ", "デ": "ﾃﾞ",
        "ド": "ﾄﾞ", "バ": "ﾊﾞ", "ビ": "ﾋﾞ", "ブ": "ﾌﾞ", "ベ": "ﾍﾞ", "ボ": "ﾎﾞ", "パ": "ﾊﾟ",
        "　": " "}


def halfwidth(k):
    return "".join(HALF.get(c, c) for c in k)


register = []  # dicts: mn, name, kana, birth, sex, addr
pairs = []  # (label, case, ours dict with 'truth', theirs_mn)
seq = 0


def person(name, kana, birth, sex, addr):
    global seq
    seq += 1
    p = dict(mn=mynumber(seq), name=name, kana=kana, birth=birth, sex=sex, addr=addr)
    register.append(p)
    return p


def filing(p, **kw):
    f = dict(truth=p["mn"], name=p["name"], kana=p["kana"], birth=p["birth"], sex=p["sex"],
             addr=p["addr"])
    f.update(kw)
    return f


def pair(label, case, ours, theirs):
    pairs.append((label, case, ours, theirs["mn"]))


def date(y, m, d):
    return "%04d-%02d-%02d" % (y, m, d)


for i in range(60):
    fam = families[i % len(families)]
    sex = 1 if i % 2 == 0 else 2
    g = (givens_m if sex == 1 else givens_f)[(i // 2) % 10]
    town_reg, town_vars = towns[i % len(towns)]
    room = "%d0%d" % (1 + i % 5, 1 + i % 4)
    bld = buildings[i % len(buildings)]
    y = 1950 + (i * 7) % 50
    birth = date(y, 1 + i % 12, 1 + (i * 3) % 28)
    name = fam[0] + "　" + g[0]
    kana = fam[1] + "　" + g[1]
    addr = town_reg + bld + room
    p = person(name, kana, birth, sex, addr)

    # --- the same person, written differently: all must link ---
    pair("same", "exact", filing(p), p)
    pair("same", "space_variant", filing(p, name=fam[0] + " " + g[0], kana=fam[1] + g[1]), p)
    pair("same", "halfwidth_kana", filing(p, kana=halfwidth(kana)), p)
    pair("same", "address_notation", filing(p, addr=town_vars[i % 2] + bld + room), p)
    pair("same", "building_omitted", filing(p, addr=town_vars[(i + 1) % 2]), p)
    if fam[2]:
        pair("same", "itaiji", filing(p, name=fam[2] + "　" + g[0]), p)
    if any(c in kana for c in "ャュョッ"):
        pair("same", "small_kana", filing(p, kana=kana.translate(KANA_SMALL)), p)

    # --- the same person, not linkable on this data (不一致, low risk) ---
    if i % 3 == 0:
        # a person who moved: the register has the new address, the filing the old one
        mg = (givens_m if sex == 1 else givens_f)[(i // 2 + 5) % 10]
        mover = person(fam[0] + "　" + mg[0], fam[1] + "　" + mg[1], date(y + 3, 3, 3), sex,
                       towns[(i + 3) % len(towns)][0])
        pair("same", "moved_unreported", filing(mover, addr=addr), mover)
    if sex == 2 and i % 4 == 1:
        pair("same", "married_name_unreported", filing(p, name="鈴木　" + g[0], kana="スズキ　" + g[1]), p)

    # --- different people ---
    if i % 2 == 0:
        # twins: same household, same birth date; names differ by one character (or only
        # by a 異体字 fold: the twin rule must refuse to bridge it)
        twin_g = {"太郎": ("太朗", "タロウ"), "翔": ("翔太", "ショウタ"), "大輔": ("大介", "ダイスケ"),
                  "浩二": ("浩次", "コウジ"), "健": ("建", "ケン"), "正": ("匡", "タダシ"),
                  "悠真": ("悠眞", "ユウマ"), "蓮": ("廉", "レン"), "修一": ("修壱", "シュウイチ"),
                  "雄一": ("勇一", "ユウイチ")}[g[0]]
        t = person(fam[0] + "　" + twin_g[0], fam[1] + "　" + twin_g[1], birth, sex, addr)
        pair("different", "twins", filing(p), t)
        pair("different", "twins", filing(t), p)
        pair("same", "twin_self", filing(t), t)
        if fam[2]:
            pair("different", "twins_itaiji", filing(t, name=fam[2] + "　" + twin_g[0]), p)
    # parent and child with one name, one address
    py = y - 28 - i % 6
    parent = person(name, kana, date(py, 1 + (i * 5) % 12, 1 + i % 27), sex, p["addr"])
    pair("different", "parent_child_same_name", filing(parent), p)
    pair("different", "parent_child_same_name", filing(p), parent)
    # a sibling
    sg = (givens_m if sex == 1 else givens_f)[(i // 2 + 3) % 10]
    sib = person(fam[0] + "　" + sg[0], fam[1] + "　" + sg[1], date(y + 2, 1 + (i + 4) % 12, 10), sex,
                 p["addr"])
    pair("different", "sibling", filing(sib), p)
    # a namesake elsewhere with the same birth date
    other_town = towns[(i + 5) % len(towns)][0]
    ns = person(name, kana, birth, sex, other_town + "コーポ" + str(i))
    pair("different", "namesake_elsewhere", filing(ns), p)
    # a namesake who moved into this person's former town (address differs)
    if i % 4 == 0:
        pair("different", "namesake_moved", filing(ns, addr=other_town), p)
    # similar names in one building, another room
    sim_g = (givens_m if sex == 1 else givens_f)[(i // 2 + 1) % 10]
    other_room = "%d0%d" % (1 + (i + 2) % 5, 1 + (i + 1) % 4)
    nb = person(fam[0] + "　" + sim_g[0], fam[1] + "　" + sim_g[1], birth, sex,
                town_reg + bld + other_room)
    pair("different", "same_building", filing(nb), p)
    # family swap: a spouse's number (other sex, other birth date, same household)
    if i % 3 == 1:
        sp_g = (givens_f if sex == 1 else givens_m)[(i + 7) % 10]
        sp = person(fam[0] + "　" + sp_g[0], fam[1] + "　" + sp_g[1], date(y + 1, 6, 6), 3 - sex,
                    p["addr"])
        pair("different", "family_swap", filing(p), sp)

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "register.csv"), "w", encoding="utf-8") as f:
    f.write("# Resident register for the identity corpus (generated by scripts/gen-identity-corpus.py)\n")
    f.write("mynumber,name,kana,birthdate,sex,address,old_name,alias\n")
    for p in register:
        f.write("%s,%s,%s,%s,%d,%s,,\n" % (p["mn"], p["name"], p["kana"], p["birth"], p["sex"],
                                            p["addr"]))
with open(os.path.join(out_dir, "pairs.tsv"), "w", encoding="utf-8") as f:
    f.write("# label\tcase\ttruth\tname\tkana\tbirthdate\tsex\taddress\ttheirs\n")
    for label, case, o, theirs in pairs:
        f.write("\t".join([label, case, o["truth"], o["name"], o["kana"], o["birth"],
                           str(o["sex"]), o["addr"], theirs]) + "\n")
same = sum(1 for p in pairs if p[0] == "same")
print("register %d persons, %d pairs (%d same, %d different)" % (len(register), len(pairs), same,
                                                                   len(pairs) - same))
