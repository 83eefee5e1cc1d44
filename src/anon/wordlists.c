/*-------------------------------------------------------------------------
 *
 * wordlists.c
 *	  The locales fakes are made in: Faker's word lists, generated at build
 *	  time from the installed ruby-faker YAML (wordlists_data.h, see
 *	  tools/gen_wordlists.py), with the few hand-written lists and numbering
 *	  rules Faker does not have; and the check of seedkit.locale.
 *
 * Faker's templates are rewritten by the generator: "{N}" names list N of
 * the same locale.  Hand-written lists (see doc/wordlists.md for each and
 * why) are comma-separated, an entry "text:reading" keeping the reading
 * ja_JP's ASCII forms are made from.  Everything is set up once per
 * backend, on first use, in TopMemoryContext.
 *
 * src/anon/wordlists.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "anon/anon.h"
#include "anon/icu.h"
#include "anon/wordlists.h"

/* The roles of Faker's lists, in the generator's order (ROLES). */
typedef enum SkGenRole
{
	SK_ROLE_FEMALE,
	SK_ROLE_MALE,
	SK_ROLE_LAST,
	SK_ROLE_CITY,
	SK_ROLE_STREET_ADDRESS,
	SK_ROLE_COMPANY,
	SK_ROLE_PHONE,
	SK_ROLE_POSTCODE,
	SK_ROLE_REGION,
	SK_ROLE_FEMALE_LAST,
	SK_ROLE_MALE_LAST,
	SK_NROLES
} SkGenRole;

typedef struct SkGenList
{
	const char *key;			/* Faker's section.key */
	bool		tpl;
	int			n;
	const char *const *w;
} SkGenList;

typedef struct SkGenLocale
{
	const char *name;
	const char *faker;
	int			nlists;
	const SkGenList *lists;
	int			role[SK_NROLES];	/* list of each role, -1 for none */
} SkGenLocale;

#include "anon/wordlists_data.h"

/* The SkList each role fills. */
static const SkList sk_role_list[SK_NROLES] = {
	SK_FEMALE, SK_MALE, SK_LAST, SK_CITY, SK_STREET_FORMAT,
	SK_COMPANY_FORMAT, SK_PHONE_FORMAT, SK_POSTCODE_FORMAT, SK_REGION,
	SK_LAST_FEMALE, SK_LAST_MALE
};

/* Latin filler words shared by the locales without their own. */
#define LOREM_LATIN "lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do,eiusmod,tempor,incididunt,ut,labore,et,dolore,magna,aliqua,enim,ad,minim,veniam,quis,nostrud,exercitation,ullamco,laboris,nisi,aliquip,ex,ea,commodo,consequat,duis,aute,irure,in,reprehenderit,voluptate,velit,esse,cillum,eu,fugiat,nulla,pariatur,excepteur,sint,occaecat,cupidatat,non,proident,sunt,culpa,qui,officia,deserunt,mollit,anim,id,est,laborum"

/*
 * A hand-written list replacing or completing Faker's for one locale, only
 * where Faker has none: real cities where Faker composes invented ones,
 * numbering rules where Faker's formats break them, and ja_JP's names with
 * their readings.  Template codes: see sk_template in fakeparts.c.
 */
typedef struct SkHand
{
	const char *locale;
	SkList		list;
	const char *src;
} SkHand;

static const SkHand sk_hand[] = {
	/* en_US: Faker's cities and streets are invented ("Lake Johnfort") */
	{"en_US", SK_CITY, "Springfield,Franklin,Greenville,Bristol,Clinton,Fairview,Salem,Madison,Georgetown,Arlington,Ashland,Burlington,Manchester,Oxford,Milton,Jackson,Dayton,Lexington,Riverside,Centerville,Marion,Auburn,Dover,Hudson,Kingston,Newport,Oakland,Plymouth,Richmond,Winchester,Portland,Columbia,Chester,Lebanon,Fremont,Lancaster,Mount Vernon,Cleveland,Troy,Glendale,Hamilton,Shelby,Carson City,Boulder,Savannah,Tacoma,Eugene,Santa Fe,Ann Arbor,Duluth"},
	{"en_US", SK_STREET, "Oak,Maple,Cedar,Pine,Elm,Washington,Lake,Hill,Sunset,Park,Main,Church,Highland,Madison,Jefferson,Lincoln,Franklin,River,Spring,Willow,Chestnut,Walnut,Cherry,Forest,Meadow,Ridge,Valley,Jackson,Adams,Center,Mill,Prospect,Broad,Union,Grove,Lakeview,Woodland,Hickory,Magnolia,Birch"},
	{"en_US", SK_STREET_TYPE, "Street,Avenue,Road,Lane,Drive,Court,Place,Boulevard,Way,Terrace,Circle,Parkway"},
	{"en_US", SK_STREET_FORMAT, "{#} {S} {T}"},
	/* NANP: area code and exchange start with 2-9 and are not N11 */
	{"en_US", SK_PHONE_FORMAT, "({A}) {E}-####,{A}-{E}-####,{A}.{E}.####,+1 {A}-{E}-####"},
	{"en_US", SK_POSTCODE_FORMAT, "{Z}"},
	/* de_DE: Faker's cities are invented; area codes start with 2-9 */
	{"de_DE", SK_CITY, "Berlin,Hamburg,München,Köln,Frankfurt am Main,Stuttgart,Düsseldorf,Leipzig,Dortmund,Essen,Bremen,Dresden,Hannover,Nürnberg,Duisburg,Bochum,Wuppertal,Bielefeld,Bonn,Münster,Mannheim,Karlsruhe,Augsburg,Wiesbaden,Mönchengladbach,Gelsenkirchen,Aachen,Braunschweig,Kiel,Chemnitz,Halle,Magdeburg,Freiburg im Breisgau,Krefeld,Mainz,Lübeck,Erfurt,Oberhausen,Rostock,Kassel,Hagen,Potsdam,Saarbrücken,Hamm,Ludwigshafen,Oldenburg,Osnabrück,Leverkusen,Heidelberg,Darmstadt,Regensburg,Würzburg,Göttingen,Ulm,Tübingen,Konstanz,Bamberg,Passau"},
	{"de_DE", SK_PHONE_FORMAT, "0{D}## #######,+49 {D}## ########,0{D}### ######,0{D}##-######,015# ########,016# #######,017# #######"},
	{"de_DE", SK_POSTCODE_FORMAT, "{Y}"},
	/* fr_FR: departments 01-95 and overseas 971-976 */
	{"fr_FR", SK_PHONE_FORMAT, "0{R} ## ## ## ##,+33 {R} ## ## ## ##,0{R}.##.##.##.##,0{R}########"},
	{"fr_FR", SK_POSTCODE_FORMAT, "{P}"},
	/* es_ES: mobiles 6xx/7[1-4]x, landlines 8[1-8]x/9[1-8]x; provinces 01-52 */
	{"es_ES", SK_PHONE_FORMAT, "{M} ### ###,+34 {M} ## ## ##,{G} ## ## ##,{G} ### ###,{M}######"},
	{"es_ES", SK_POSTCODE_FORMAT, "{Q}"},
	/* ja_JP: names with readings (Faker has none), 10/11-digit numbers */
	{"ja_JP", SK_FEMALE, "美:み,愛:あい,結:ゆ,優:ゆう,陽:ひ,花:はな,真:ま,彩:あや,千:ち,奈:な,咲:さ,菜:な,莉:り,葵:あおい,凛:りん,杏:あん,朱:あ,沙:さ,紗:さ,明:あき,恵:めぐ,由:ゆ,理:り,香:か,智:とも,早:さ,亜:あ,麻:ま,里:さと,春:はる"},
	{"ja_JP", SK_FEMALE_SUF, "子:こ,美:み,香:か,奈:な,菜:な,花:か,衣:い,咲:さき,乃:の,音:ね,希:き,佳:か,恵:え,里:り,絵:え,穂:ほ,華:か,実:み,月:つき,海:み,帆:ほ,代:よ,枝:え,織:おり,羽:は"},
	{"ja_JP", SK_MALE, "大:だい,翔:しょう,陽:はる,蓮:れん,悠:ゆう,健:けん,拓:たく,直:なお,和:かず,浩:こう,誠:まこと,隆:たか,雄:ゆう,正:まさ,康:こう,智:とも,俊:しゅん,亮:りょう,航:こう,颯:そう,湊:みなと,樹:いつき,光:こう,秀:ひで,信:のぶ,達:たつ,勇:ゆう,修:しゅう,晴:はる,海:かい"},
	{"ja_JP", SK_MALE_SUF, "太:た,斗:と,輝:き,人:と,介:すけ,也:や,樹:き,郎:ろう,平:へい,希:き,真:ま,一:いち,二:じ,彦:ひこ,夫:お,志:し,士:し,明:あき,仁:ひと,哉:や,馬:ま,生:き,吾:ご,貴:き,司:じ"},
	{"ja_JP", SK_LAST, "佐藤:さとう,鈴木:すずき,高橋:たかはし,田中:たなか,伊藤:いとう,渡辺:わたなべ,山本:やまもと,中村:なかむら,小林:こばやし,加藤:かとう,吉田:よしだ,山田:やまだ,佐々木:ささき,山口:やまぐち,松本:まつもと,井上:いのうえ,木村:きむら,林:はやし,斎藤:さいとう,清水:しみず,山崎:やまざき,森:もり,池田:いけだ,橋本:はしもと,阿部:あべ,石川:いしかわ,山下:やました,中島:なかじま,石井:いしい,小川:おがわ,前田:まえだ,岡田:おかだ,長谷川:はせがわ,藤田:ふじた,後藤:ごとう,近藤:こんどう,村上:むらかみ,遠藤:えんどう,青木:あおき,坂本:さかもと,斉藤:さいとう,福田:ふくだ,太田:おおた,西村:にしむら,藤井:ふじい,金子:かねこ,岡本:おかもと,藤原:ふじわら,中野:なかの,三浦:みうら,原田:はらだ,中川:なかがわ,松田:まつだ,竹内:たけうち,小野:おの,田村:たむら,中山:なかやま,和田:わだ,石田:いしだ,森田:もりた,山内:やまうち,菊地:きくち,酒井:さかい,宮崎:みやざき,安藤:あんどう,工藤:くどう,大野:おおの,丸山:まるやま,今井:いまい,高田:たかだ,藤本:ふじもと,武田:たけだ,村田:むらた,上田:うえだ,杉山:すぎやま,増田:ますだ,平野:ひらの,大塚:おおつか,千葉:ちば,久保:くぼ,松井:まつい,小島:こじま,岩崎:いわさき,桜井:さくらい,野口:のぐち,松尾:まつお,野村:のむら,木下:きのした,菊池:きくち,佐野:さの,大西:おおにし,杉本:すぎもと,新井:あらい,浜田:はまだ,菅原:すがわら,市川:いちかわ,水野:みずの,小松:こまつ,島田:しまだ,古川:ふるかわ,小山:こやま,高野:たかの,西田:にしだ,菅野:かんの,北村:きたむら,服部:はっとり,五十嵐:いがらし,小西:こにし,河野:こうの,内田:うちだ"},
	{"ja_JP", SK_STREET, "桜:さくら,緑:みどり,中央:ちゅうおう,本:ほん,栄:さかえ,旭:あさひ,若葉:わかば,青葉:あおば,東:ひがし,西:にし,南:みなみ,北:きた,港:みなと,泉:いずみ,松原:まつばら,富士見:ふじみ,日吉:ひよし,大和:やまと,朝日:あさひ,清水:しみず,星:ほし,光:ひかり,錦:にしき,千代田:ちよだ,花園:はなぞの,曙:あけぼの,柳:やなぎ,梅:うめ,竹:たけ,宮:みや"},
	{"ja_JP", SK_STREET_TYPE, "町:ちょう,台:だい,丘:おか,通:どおり,原:はら,野:の,ヶ丘:がおか,本町:ほんまち"},
	{"ja_JP", SK_CITY, "東京都千代田区:とうきょうとちよだく,東京都新宿区:とうきょうとしんじゅくく,東京都世田谷区:とうきょうとせたがやく,横浜市:よこはまし,大阪市:おおさかし,名古屋市:なごやし,札幌市:さっぽろし,福岡市:ふくおかし,神戸市:こうべし,川崎市:かわさきし,京都市:きょうとし,さいたま市:さいたまし,広島市:ひろしまし,仙台市:せんだいし,千葉市:ちばし,北九州市:きたきゅうしゅうし,堺市:さかいし,浜松市:はままつし,新潟市:にいがたし,熊本市:くまもとし,相模原市:さがみはらし,岡山市:おかやまし,静岡市:しずおかし,船橋市:ふなばしし,鹿児島市:かごしまし,八王子市:はちおうじし,姫路市:ひめじし,宇都宮市:うつのみやし,松山市:まつやまし,金沢市:かなざわし,長野市:ながのし,奈良市:ならし,那覇市:なはし,盛岡市:もりおかし,高松市:たかまつし,富山市:とやまし,函館市:はこだてし,岐阜市:ぎふし,長崎市:ながさきし,大分市:おおいたし"},
	{"ja_JP", SK_COMPANY_WORD, "商事:しょうじ,工業:こうぎょう,建設:けんせつ,電機:でんき,製作所:せいさくしょ,物産:ぶっさん,食品:しょくひん,運輸:うんゆ,不動産:ふどうさん,化学:かがく,電子:でんし,印刷:いんさつ,産業:さんぎょう,精機:せいき,システム:しすてむ,通信:つうしん,薬品:やくひん,製菓:せいか,興業:こうぎょう,技研:ぎけん"},
	{"ja_JP", SK_COMPANY_FORMAT, "{L}{W}株式会社,株式会社{L}{W},{L}{W}有限会社,{C}{W}株式会社"},
	{"ja_JP", SK_STREET_FORMAT, "{S}{T}{c}丁目{#}-{#}"},
	{"ja_JP", SK_PHONE_FORMAT, "03-%###-####,06-%###-####,0%%-%##-####,0%%%-%#-####,090-%###-####,080-%###-####,070-%###-####"},
	{"ja_JP", SK_POSTCODE_FORMAT, "%##-####,0%#-####"},
	{"ja_JP", SK_LOREM, "これ:これ,それ:それ,日本:にほん,今日:きょう,天気:てんき,会社:かいしゃ,仕事:しごと,時間:じかん,世界:せかい,新しい:あたらしい,大きな:おおきな,小さな:ちいさな,街:まち,人々:ひとびと,生活:せいかつ,未来:みらい,計画:けいかく,情報:じょうほう,技術:ぎじゅつ,文化:ぶんか,自然:しぜん,季節:きせつ,春:はる,夏:なつ,秋:あき,冬:ふゆ,山:やま,海:うみ,空:そら,道:みち,です:です,ます:ます,そして:そして,また:また,の:の,は:は,が:が,を:を,に:に,と:と"},
};

/* Formats for locales Faker gives none of (see seedkit_locales). */
static const char *const sk_generic[SK_NLISTS] = {
	[SK_COMPANY_FORMAT] = "{L} & {L}",
	[SK_STREET_FORMAT] = "{L} {#}",
	[SK_PHONE_FORMAT] = "0%# ### ####",
	[SK_POSTCODE_FORMAT] = "%####",
	[SK_LOREM] = LOREM_LATIN,
};

static SkLocale *sk_locales = NULL;
static int	sk_nlocales = 0;
static char *sk_names = NULL;

/*
 * sk_locale_flags
 *		Name order and name parts of a locale, by language.
 */
static void
sk_locale_flags(SkLocale *loc)
{
	const char *n = loc->name;
	const char *us = strchr(n, '_');

	loc->name_sep = " ";
	loc->family_first = false;
	loc->two_surnames = strncmp(n, "es_", 3) == 0;
	loc->middle_names = strncmp(n, "en_", 3) == 0 || strncmp(n, "de_", 3) == 0 ||
		strncmp(n, "fr_", 3) == 0 || strncmp(n, "nl_", 3) == 0 ||
		strncmp(n, "sv_", 3) == 0 || strncmp(n, "nb_", 3) == 0 ||
		strncmp(n, "da_", 3) == 0 || strncmp(n, "fi_", 3) == 0 ||
		strncmp(n, "pt_", 3) == 0 || loc->two_surnames;	/* María José */
	if (strncmp(n, "ja_", 3) == 0 || strncmp(n, "zh_", 3) == 0 ||
		strncmp(n, "ko_", 3) == 0)
	{
		loc->family_first = true;
		loc->name_sep = "";
	}
	if (strncmp(n, "vi_", 3) == 0 || strncmp(n, "hu_", 3) == 0)
		loc->family_first = true;
	/* IBANs of the locale's country where sk_iban knows its format, else DE */
	loc->iban_country = "DE";
	if (us && (strcmp(us + 1, "ES") == 0 || strcmp(us + 1, "FR") == 0 ||
			   strcmp(us + 1, "GB") == 0))
		loc->iban_country = us + 1;
	if (strcmp(n, "en_US") == 0)
		loc->iban_country = "GB";	/* as 0.1.0 did */
}

/*
 * sk_set_src
 *		Make words a hand-written (comma-separated) list.
 */
static void
sk_set_src(SkWords *words, const char *src, SkList list)
{
	memset(words, 0, sizeof(SkWords));
	words->src = src;
	words->tpl = list == SK_COMPANY_FORMAT || list == SK_STREET_FORMAT ||
		list == SK_PHONE_FORMAT || list == SK_POSTCODE_FORMAT;
	words->n = -1;
}

/*
 * sk_locales_init
 *		Build the locales from the generated data and the hand-written
 *		lists, once per backend.
 */
static void
sk_locales_init(void)
{
	MemoryContext old;
	StringInfoData names;
	int			i;

	if (sk_locales != NULL)
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	sk_nlocales = lengthof(sk_gen_locales);
	sk_locales = palloc0(sizeof(SkLocale) * sk_nlocales);
	initStringInfo(&names);
	for (i = 0; i < sk_nlocales; i++)
	{
		const SkGenLocale *g = &sk_gen_locales[i];
		SkLocale   *loc = &sk_locales[i];
		int			j;

		loc->name = g->name;
		loc->faker = g->faker;
		loc->nrefs = g->nlists;
		loc->refs = palloc0(sizeof(SkWords) * g->nlists);
		for (j = 0; j < g->nlists; j++)
		{
			loc->refs[j].arr = g->lists[j].w;
			loc->refs[j].narr = g->lists[j].n;
			loc->refs[j].tpl = g->lists[j].tpl;
			loc->refs[j].n = -1;
		}
		for (j = 0; j < SK_NLISTS; j++)
			loc->lists[j].n = -1;
		for (j = 0; j < SK_NROLES; j++)
			if (g->role[j] >= 0)
				loc->lists[sk_role_list[j]] = loc->refs[g->role[j]];
		for (j = 0; j < lengthof(sk_hand); j++)
			if (strcmp(sk_hand[j].locale, g->name) == 0)
			{
				sk_set_src(&loc->lists[sk_hand[j].list], sk_hand[j].src, sk_hand[j].list);
				loc->hand |= (uint32) 1 << sk_hand[j].list;
			}
		for (j = 0; j < SK_NLISTS; j++)
			if (loc->lists[j].src == NULL && loc->lists[j].arr == NULL &&
				sk_generic[j] != NULL)
				sk_set_src(&loc->lists[j], sk_generic[j], j);
		sk_locale_flags(loc);
		appendStringInfo(&names, "%s%s", i ? ", " : "", g->name);
	}
	sk_names = names.data;
	MemoryContextSwitchTo(old);
}

/*
 * sk_pack_words
 *		Copy the n display forms of words, each with its terminating NUL,
 *		into one block (words->pack, entry i at words->off[i]): the lists
 *		are read at random, a block keeps the ones in use in fewer cache
 *		lines than entries scattered with their own allocations.
 */
static void
sk_pack_words(SkWords *words, int n)
{
	Size		total = 0;
	int			i;

	for (i = 0; i < n; i++)
		total += words->wlen[i] + 1;
	words->pack = palloc(Max(total, 1));
	words->off = palloc(sizeof(uint32) * (n + 1));
	total = 0;
	for (i = 0; i < n; i++)
	{
		words->off[i] = total;
		memcpy(words->pack + total, words->w[i], words->wlen[i] + 1);
		total += words->wlen[i] + 1;
	}
	words->off[n] = total;
}

/*
 * sk_setup_words
 *		Set a list up: the generated entries as they are, or a hand-written
 *		source split on commas into TopMemoryContext arrays.  An entry
 *		"text:reading" keeps the reading for transliteration.
 */
static void
sk_setup_words(SkWords *words)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	const char *p;
	int			n = 1;
	int			i = 0;

	if (words->arr != NULL)
	{
		n = words->narr;
		words->w = (const char **) words->arr;
		words->wlen = palloc(sizeof(int) * Max(n, 1));
		for (i = 0; i < n; i++)
			words->wlen[i] = strlen(words->arr[i]);
	}
	else if (words->src == NULL)
	{
		words->n = 0;
		MemoryContextSwitchTo(old);
		return;
	}
	else
	{
		for (p = words->src; *p; p++)
			if (*p == ',')
				n++;
		words->w = palloc(sizeof(char *) * n);
		words->wlen = palloc(sizeof(int) * n);
		words->reading = palloc0(sizeof(char *) * n);
		p = words->src;
		while (i < n)
		{
			const char *end = strchr(p, ',');
			const char *colon;
			int			len = end ? end - p : strlen(p);

			colon = memchr(p, ':', len);
			if (colon)
			{
				/* the reading ASCII forms are made from */
				words->w[i] = pnstrdup(p, colon - p);
				words->wlen[i] = colon - p;
				words->reading[i] = pnstrdup(colon + 1, len - (colon - p) - 1);
			}
			else
			{
				words->w[i] = pnstrdup(p, len);
				words->wlen[i] = len;
			}
			i++;
			p = end ? end + 1 : p + len;
		}
	}
	sk_pack_words(words, n);
	words->ascii = palloc(sizeof(SkAscii) * Max(n, 1));
	for (i = 0; i < n; i++)
		words->ascii[i].len = -1;
	words->apack = NULL;
	words->apack_len = 0;
	words->apack_cap = 0;
	MemoryContextSwitchTo(old);
	/* set n last: a set-up cut short by an ERROR is redone next time */
	words->n = n;
}

/*
 * sk_find_locale
 *		The locale named name, or NULL.
 */
SkLocale *
sk_find_locale(const char *name)
{
	int			i;

	sk_locales_init();
	for (i = 0; i < sk_nlocales; i++)
		if (strcmp(sk_locales[i].name, name) == 0)
			return &sk_locales[i];
	return NULL;
}

/*
 * sk_locale_names
 *		The supported locales, for error hints.
 */
const char *
sk_locale_names(void)
{
	sk_locales_init();
	return sk_names;
}

/*
 * sk_locale_count
 *		How many locales there are (for seedkit_locales).
 */
int
sk_locale_count(void)
{
	sk_locales_init();
	return sk_nlocales;
}

/*
 * sk_locale_at
 *		Locale number i, in name order of Faker's files.
 */
SkLocale *
sk_locale_at(int i)
{
	sk_locales_init();
	return &sk_locales[i];
}

/*
 * sk_faker_version
 *		The version of Faker the lists were generated from.
 */
const char *
sk_faker_version(void)
{
	return SK_FAKER_VERSION;
}

/*
 * sk_anon_locale_check
 *		GUC check hook: seedkit.locale must be a supported locale.
 */
bool
sk_anon_locale_check(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || sk_find_locale(*newval) != NULL)
		return true;
	GUC_check_errdetail("The function seedkit_locales() lists the %d valid locales.",
						sk_locale_count());
	return false;
}

/*
 * sk_words
 *		One list of a locale, set up on first use.
 */
SkWords *
sk_words(SkLocale *loc, SkList list)
{
	SkWords    *words = &loc->lists[list];

	if (words->n < 0)
		sk_setup_words(words);
	return words;
}

/*
 * sk_ref_words
 *		List i of the locale's Faker data ("{i}" in its templates).
 */
SkWords *
sk_ref_words(SkLocale *loc, int i)
{
	SkWords    *words = &loc->refs[i];

	if (words->n < 0)
		sk_setup_words(words);
	return words;
}

/*
 * sk_word_ascii
 *		The lower-case ASCII form of entry i (from its reading when it has
 *		one) and its length, transliterated by ICU once per backend (ASCII
 *		entries, most of Faker's Latin-script lists, need no ICU).  The
 *		forms are packed into one block as they are made (see
 *		sk_pack_words): the pointer is good until the next call.
 */
const char *
sk_word_ascii(SkWords *words, int i, int *len)
{
	SkAscii    *f = &words->ascii[i];
	const char *src;
	const char *p;
	char	   *a;
	int			alen;

	if (likely(f->len >= 0))
	{
		*len = f->len;
		return words->apack + f->off;
	}
	src = words->reading && words->reading[i] ? words->reading[i] : words->w[i];
	for (p = src; *p && !IS_HIGHBIT_SET(*p); p++)
		;
	if (*p == '\0')
	{
		/* ASCII already: what the transliterator would give, without it */
		char	   *o = a = palloc(strlen(src) + 1);

		for (p = src; *p; p++)
		{
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				*o++ = *p;
			else if (*p >= 'A' && *p <= 'Z')
				*o++ = *p - 'A' + 'a';
		}
		*o = '\0';
	}
	else
		a = sk_icu_to_ascii(src, strlen(src));
	alen = strlen(a);
	if ((Size) words->apack_len + alen + 1 > words->apack_cap)
	{
		Size		cap = Max((Size) words->apack_cap * 2, 1024);

		while (cap < (Size) words->apack_len + alen + 1)
			cap *= 2;
		if (cap > PG_UINT32_MAX)
			elog(ERROR, "ASCII forms of a word list exceed 4 GB");
		words->apack = words->apack == NULL ?
			MemoryContextAlloc(TopMemoryContext, cap) :
			repalloc(words->apack, cap);
		words->apack_cap = cap;
	}
	memcpy(words->apack + words->apack_len, a, alen + 1);
	pfree(a);
	f->off = words->apack_len;
	words->apack_len += alen + 1;
	/* set len last: a set-up cut short by an ERROR is redone next time */
	f->len = alen;
	*len = alen;
	return words->apack + f->off;
}

/* The word-list strategies and the list each mainly draws from. */
static const struct
{
	const char *strategy;
	SkList		list;
}			sk_strategy_lists[] = {
	{"first_name", SK_FEMALE},
	{"last_name", SK_LAST},
	{"full_name", SK_LAST},
	{"email", SK_LAST},
	{"username", SK_LAST},
	{"street_address", SK_STREET_FORMAT},
	{"city", SK_CITY},
	{"postcode", SK_POSTCODE_FORMAT},
	{"company", SK_COMPANY_FORMAT},
	{"phone", SK_PHONE_FORMAT},
	{"lorem", SK_LOREM},
};

/*
 * sk_text_array
 *		A text[] of the n C strings.
 */
static Datum
sk_text_array(const char **s, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(s[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(seedkit_locales);

/*
 * seedkit_locales
 *		seedkit_locales() lists every locale: Faker's name for it, how many
 *		given names and surnames it has, and which word-list strategies
 *		draw on Faker's data, on a hand-written list or rule, or on a
 *		generic format (Faker has nothing for them in that locale).
 */
Datum
seedkit_locales(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	SetSingleFuncCall(fcinfo, 0);
	sk_locales_init();
	for (i = 0; i < sk_nlocales; i++)
	{
		SkLocale   *loc = &sk_locales[i];
		const char *faker[lengthof(sk_strategy_lists)];
		const char *hand[lengthof(sk_strategy_lists)];
		const char *generic[lengthof(sk_strategy_lists)];
		int			nf = 0;
		int			nh = 0;
		int			ng = 0;
		int			j;
		Datum		values[7];
		bool		nulls[7] = {0};

		for (j = 0; j < lengthof(sk_strategy_lists); j++)
		{
			SkList		l = sk_strategy_lists[j].list;

			if (loc->hand & ((uint32) 1 << l))
				hand[nh++] = sk_strategy_lists[j].strategy;
			else if (loc->lists[l].arr != NULL)
				faker[nf++] = sk_strategy_lists[j].strategy;
			else
				generic[ng++] = sk_strategy_lists[j].strategy;
		}
		values[0] = CStringGetTextDatum(loc->name);
		values[1] = CStringGetTextDatum(loc->faker);
		values[2] = Int32GetDatum(sk_words(loc, SK_FEMALE)->n *
								  Max(sk_words(loc, SK_FEMALE_SUF)->n, 1) +
								  (sk_words(loc, SK_MALE)->arr == sk_words(loc, SK_FEMALE)->arr &&
								   sk_words(loc, SK_MALE)->arr != NULL ? 0 :
								   sk_words(loc, SK_MALE)->n *
								   Max(sk_words(loc, SK_MALE_SUF)->n, 1)));
		values[3] = Int32GetDatum(sk_words(loc, SK_LAST)->n);
		values[4] = sk_text_array(faker, nf);
		values[5] = sk_text_array(hand, nh);
		values[6] = sk_text_array(generic, ng);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
