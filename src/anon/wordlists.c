/*-------------------------------------------------------------------------
 *
 * wordlists.c
 *	  The word lists fakes are made from: given names, surnames, streets,
 *	  cities and company patterns for en_US, de_DE, fr_FR, es_ES and ja_JP;
 *	  and the check of seedkit.locale against them.
 *
 * Written for this project from common knowledge of frequent names and
 * places (see doc/wordlists.md for provenance).  Surnames are either whole
 * common surnames or composed from a common beginning and ending
 * ("Ash" + "ford"), which gives the thousands of plausible surnames that
 * keep a million distinct full names distinct.  Lists are parsed once per
 * backend, on first use, into TopMemoryContext.
 *
 * src/anon/wordlists.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "anon/anon.h"
#include "anon/icu.h"
#include "anon/wordlists.h"

#define L(s) {s, -1, NULL, NULL, NULL}
#define NOLIST {NULL, -1, NULL, NULL, NULL}

/* Latin filler words shared by the European locales. */
#define LOREM_LATIN "lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do,eiusmod,tempor,incididunt,ut,labore,et,dolore,magna,aliqua,enim,ad,minim,veniam,quis,nostrud,exercitation,ullamco,laboris,nisi,aliquip,ex,ea,commodo,consequat,duis,aute,irure,in,reprehenderit,voluptate,velit,esse,cillum,eu,fugiat,nulla,pariatur,excepteur,sint,occaecat,cupidatat,non,proident,sunt,culpa,qui,officia,deserunt,mollit,anim,id,est,laborum"

static SkLocale sk_locales[] = {
	{
		"en_US",
		{
			/* SK_FEMALE */
			L("Mary,Patricia,Jennifer,Linda,Elizabeth,Barbara,Susan,Jessica,Sarah,Karen,Lisa,Nancy,Betty,Sandra,Margaret,Ashley,Kimberly,Emily,Donna,Michelle,Carol,Amanda,Melissa,Deborah,Stephanie,Dorothy,Rebecca,Sharon,Laura,Cynthia,Amy,Kathleen,Angela,Shirley,Brenda,Emma,Anna,Pamela,Nicole,Samantha,Katherine,Christine,Helen,Debra,Rachel,Carolyn,Janet,Maria,Catherine,Heather,Diane,Olivia,Julie,Joyce,Victoria,Ruth,Virginia,Lauren,Kelly,Christina,Joan,Evelyn,Judith,Andrea,Hannah,Megan,Cheryl,Jacqueline,Martha,Madison,Teresa,Gloria,Sara,Janice,Ann,Kathryn,Abigail,Sophia,Frances,Jean,Alice,Judy,Isabella,Julia,Grace,Amber,Denise,Danielle,Marilyn,Beverly,Charlotte,Natalie,Theresa,Diana,Brittany,Doris,Kayla,Alexis,Lori,Marie,Ava,Mia,Harper,Ella,Scarlett,Chloe,Lily,Zoe,Nora,Hazel,Aurora,Violet,Stella,Claire,Lucy,Audrey,Ellie,Paisley,Naomi,Ruby,Eleanor"),
			NOLIST,
			/* SK_MALE */
			L("James,Robert,John,Michael,David,William,Richard,Joseph,Thomas,Christopher,Charles,Daniel,Matthew,Anthony,Mark,Donald,Steven,Andrew,Paul,Joshua,Kenneth,Kevin,Brian,George,Timothy,Ronald,Jason,Edward,Jeffrey,Ryan,Jacob,Gary,Nicholas,Eric,Jonathan,Stephen,Larry,Justin,Scott,Brandon,Benjamin,Samuel,Gregory,Alexander,Patrick,Frank,Raymond,Jack,Dennis,Jerry,Tyler,Aaron,Jose,Adam,Nathan,Henry,Zachary,Douglas,Peter,Kyle,Noah,Ethan,Jeremy,Walter,Christian,Keith,Roger,Terry,Austin,Sean,Gerald,Carl,Harold,Dylan,Arthur,Lawrence,Jordan,Jesse,Bryan,Billy,Bruce,Gabriel,Joe,Logan,Albert,Willie,Alan,Eugene,Russell,Vincent,Philip,Bobby,Johnny,Bradley,Roy,Ralph,Randy,Louis,Harry,Wayne,Liam,Oliver,Elijah,Lucas,Mason,Owen,Caleb,Isaac,Luke,Julian,Levi,Hudson,Miles,Wesley,Grant,Spencer,Victor,Leonard,Calvin,Marcus,Dean"),
			NOLIST,
			/* SK_LAST */
			L("Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Martin,Jackson,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Hill,Green,Adams,Baker,Nelson,Carter,Mitchell,Roberts,Turner,Phillips,Campbell,Parker,Evans,Edwards,Collins,Stewart,Morris,Murphy,Cook,Rogers,Morgan,Cooper,Peterson,Reed,Bailey,Bell,Kelly,Howard,Ward,Cox,Richardson,Wood,Watson,Brooks,Bennett,Gray,James,Hughes,Price,Sanders,Myers,Long,Ross,Foster,Powell,Jenkins,Perry,Russell,Sullivan,Fisher,Hamilton,Graham,Wallace,Hayes"),
			/* SK_LAST_PRE */
			L("Ash,Black,Brad,Brook,Cald,Church,Cole,Crane,Dun,East,Fair,Farn,Glad,Green,Hart,Hal,Hazel,Hol,Kings,Lang,Lind,Marl,Mill,Mor,North,Oak,Pem,Red,Rock,Rut,Shel,Stan,Stock,Thorn,Wad,Wake,Well,West,White,Whit,Wil,Wind,Wood,Wor,Yar"),
			/* SK_LAST_SUF */
			L("ford,ton,ley,field,wood,worth,by,well,more,ham,ington,wick,dale,bridge,brook,croft,den,hurst,land,mere,shaw,stead,ridge,cott,combe,don,low,man,ward,win,ell,er,wood,bury,burn,gate,holm,side,stone,thwaite"),
			/* SK_STREET */
			L("Oak,Maple,Cedar,Pine,Elm,Washington,Lake,Hill,Sunset,Park,Main,Church,Highland,Madison,Jefferson,Lincoln,Franklin,River,Spring,Willow,Chestnut,Walnut,Cherry,Forest,Meadow,Ridge,Valley,Jackson,Adams,Center,Mill,Prospect,Broad,Union,Grove,Lakeview,Woodland,Hickory,Magnolia,Birch"),
			/* SK_STREET_TYPE */
			L("Street,Avenue,Road,Lane,Drive,Court,Place,Boulevard,Way,Terrace,Circle,Parkway"),
			/* SK_CITY */
			L("Springfield,Franklin,Greenville,Bristol,Clinton,Fairview,Salem,Madison,Georgetown,Arlington,Ashland,Burlington,Manchester,Oxford,Milton,Jackson,Dayton,Lexington,Riverside,Centerville,Marion,Auburn,Dover,Hudson,Kingston,Newport,Oakland,Plymouth,Richmond,Winchester,Portland,Columbia,Chester,Lebanon,Fremont,Lancaster,Mount Vernon,Cleveland,Troy,Glendale,Hamilton,Shelby,Carson City,Boulder,Savannah,Tacoma,Eugene,Santa Fe,Ann Arbor,Duluth"),
			/* SK_COMPANY_WORD */
			L("Industries,Holdings,Group,Partners,Logistics,Systems,Foods,Labs,Consulting,Solutions,Manufacturing,Media,Capital,Software,Analytics,Outfitters,Supply,Engineering,Health,Energy"),
			/* SK_COMPANY_FORMAT */
			L("{L} {W} Inc.,{L} & {L} LLC,{L} {W},{L} {W} Co.,{L}-{L} {W},{C} {W} LLC"),
			/* SK_STREET_FORMAT */
			L("{#} {S} {T}"),
			/* SK_PHONE_FORMAT */
			L("(%##) %##-####,%##-%##-####,+1 %##-%##-####"),
			/* SK_LOREM */
			L(LOREM_LATIN),
		},
		"%####", "GB", false, false, true, " "
	},
	{
		"de_DE",
		{
			L("Anna,Maria,Ursula,Monika,Petra,Elisabeth,Sabine,Renate,Helga,Karin,Brigitte,Ingrid,Erika,Andrea,Gisela,Claudia,Susanne,Gabriele,Christa,Christine,Hildegard,Uta,Birgit,Barbara,Heike,Martina,Nicole,Stefanie,Julia,Katrin,Sandra,Melanie,Nadine,Tanja,Anja,Silke,Bettina,Jutta,Marion,Doris,Ilse,Gertrud,Elke,Angelika,Sonja,Kerstin,Simone,Daniela,Yvonne,Manuela,Carina,Lena,Laura,Lea,Lisa,Sarah,Hannah,Leonie,Lara,Johanna,Sophie,Marie,Emilia,Mia,Emma,Clara,Greta,Frieda,Ida,Mathilda,Paula,Luise,Charlotte,Lina,Ella,Amelie,Nele,Jana,Franziska,Theresa,Vanessa,Jasmin,Katharina,Miriam,Annika,Svenja,Wiebke,Friederike,Henrike,Antje,Dagmar,Edith,Hanna,Irene,Jessica,Kristina,Larissa,Magdalena,Nina,Pia,Rebekka,Ronja,Selina,Tamara,Ulrike,Vera,Waltraud,Anke,Beate,Britta,Cornelia,Dorothea,Eva,Frauke,Gudrun,Heidi,Inge,Jacqueline,Kathrin,Lieselotte"),
			NOLIST,
			L("Peter,Michael,Thomas,Andreas,Wolfgang,Klaus,Jürgen,Günter,Stefan,Christian,Uwe,Werner,Horst,Frank,Dieter,Manfred,Gerhard,Hans,Bernd,Torsten,Matthias,Helmut,Martin,Markus,Walter,Jörg,Sven,Heinz,Rolf,Ralf,Karl,Joachim,Alexander,Holger,Dirk,Sebastian,Jan,Tobias,Florian,Daniel,Tim,Jens,Lukas,Jonas,Leon,Finn,Paul,Felix,Maximilian,Elias,Noah,Ben,Luis,Henry,Emil,Anton,Theo,Jakob,Moritz,Niklas,Philipp,Fabian,Julian,David,Simon,Dominik,Patrick,Marcel,Kevin,Dennis,Benjamin,Johannes,Konstantin,Friedrich,Wilhelm,Heinrich,Otto,Ludwig,Hermann,Kurt,Ernst,Fritz,Georg,Erich,Bruno,Gustav,Oskar,Carsten,Volker,Rainer,Norbert,Reinhard,Ulrich,Detlef,Axel,Hartmut,Lothar,Bernhard,Harald,Achim,Armin,Björn,Christoph,Eckhard,Falk,Gregor,Hendrik,Ingo,Kai,Lars,Malte,Nils,Olaf,Pascal,Robert,Sascha,Timo,Ulf,Vincent"),
			NOLIST,
			L("Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hofmann,Hartmann,Lange,Schmitt,Werner,Schmitz,Krause,Meier,Lehmann,Schmid,Schulze,Maier,Köhler,Herrmann,König,Walter,Mayer,Huber,Kaiser,Fuchs,Peters,Lang,Scholz,Möller,Weiß,Jung,Hahn,Schubert,Vogel,Friedrich,Keller,Günther,Frank,Berger,Winkler,Roth,Beck,Lorenz"),
			L("Acker,Adler,Bach,Berg,Birken,Blumen,Brand,Buch,Dorn,Eich,Eisen,Engel,Feld,Fels,Gold,Grün,Hagen,Hain,Heim,Hirsch,Hof,Holz,Kirch,Kron,Lauten,Linden,Mühl,Neu,Ober,Rosen,Roth,Sand,Schön,Seel,Silber,Sonnen,Stein,Sturm,Tann,Unter,Wald,Weiden,Wein,Winter,Zeller"),
			L("mann,berger,meier,bach,feld,hof,thal,er,ner,stein,berg,burg,dorf,hausen,heim,huber,inger,kamp,kötter,land,ler,linger,macher,reiter,ried,rath,schmidt,schneider,wald,weg,wieser,wirth,baum,brunner,egger,hammer,hauser,born,brink,haus"),
			L("Haupt,Bahnhof,Garten,Schul,Kirch,Linden,Berg,Wald,Dorf,Mühlen,Birken,Eichen,Rosen,Goethe,Schiller,Beethoven,Mozart,Bismarck,Friedrich,Wilhelm,Markt,Ring,Feld,Wiesen,Sonnen,Tannen,Buchen,Ahorn,Kastanien,Blumen,Park,Brunnen,Burg,Kloster,Hafen,Fluss,See,Uhland,Lessing,Herder"),
			L("straße,weg,allee,gasse,platz,ring,damm,ufer,steig,pfad"),
			L("Berlin,Hamburg,München,Köln,Frankfurt am Main,Stuttgart,Düsseldorf,Leipzig,Dortmund,Essen,Bremen,Dresden,Hannover,Nürnberg,Duisburg,Bochum,Wuppertal,Bielefeld,Bonn,Münster,Mannheim,Karlsruhe,Augsburg,Wiesbaden,Mönchengladbach,Gelsenkirchen,Aachen,Braunschweig,Kiel,Chemnitz,Halle,Magdeburg,Freiburg im Breisgau,Krefeld,Mainz,Lübeck,Erfurt,Oberhausen,Rostock,Kassel,Hagen,Potsdam,Saarbrücken,Hamm,Ludwigshafen,Oldenburg,Osnabrück,Leverkusen,Heidelberg,Darmstadt,Regensburg,Würzburg,Göttingen,Ulm,Tübingen,Konstanz,Bamberg,Passau"),
			L("Bau,Logistik,Technik,Systeme,Handel,Metallbau,Elektro,Immobilien,Versicherung,Maschinenbau,Software,Consulting,Transporte,Druckerei,Gartenbau,Medizintechnik,Energie,Beratung,Holzbau,Feinkost"),
			L("{L} {W} GmbH,{L} & {L} KG,{L} AG,{L} {W} GmbH & Co. KG,{W} {L} e.K.,{C}er {W} GmbH"),
			L("{S}{T} {#}"),
			L("0%## #######,+49 %## ########,0%### ######,0%##-######"),
			L(LOREM_LATIN),
		},
		"%####", "DE", false, false, true, " "
	},
	{
		"fr_FR",
		{
			L("Marie,Jeanne,Françoise,Monique,Catherine,Nathalie,Isabelle,Jacqueline,Anne,Sylvie,Martine,Madeleine,Nicole,Suzanne,Hélène,Christine,Marguerite,Denise,Louise,Christiane,Yvonne,Valérie,Sophie,Sandrine,Stéphanie,Céline,Véronique,Chantal,Camille,Léa,Manon,Chloé,Emma,Inès,Jade,Louna,Lina,Zoé,Alice,Juliette,Léna,Rose,Ambre,Anna,Mila,Julia,Lucie,Margaux,Pauline,Claire,Élise,Amélie,Aurélie,Audrey,Laetitia,Émilie,Julie,Laura,Sarah,Mathilde,Charlotte,Clémence,Océane,Mélanie,Virginie,Delphine,Caroline,Agnès,Brigitte,Danielle,Dominique,Élodie,Florence,Gisèle,Josiane,Laurence,Lucienne,Marcelle,Mireille,Odette,Paulette,Renée,Simone,Solange,Thérèse,Colette,Geneviève,Huguette,Josette,Annie,Bernadette,Corinne,Fabienne,Ginette,Héloïse,Joséphine,Justine,Lola,Maëlle,Noémie,Romane,Salomé,Victoire,Adèle,Agathe,Apolline,Capucine,Constance,Éléonore,Gabrielle,Garance,Louison,Marion,Nina,Olivia,Perrine,Valentine,Yasmine,Estelle,Coralie"),
			NOLIST,
			L("Jean,Pierre,Michel,André,Philippe,René,Louis,Alain,Jacques,Bernard,Marcel,Daniel,Roger,Robert,Paul,Claude,Christian,Henri,Georges,Nicolas,François,Patrick,Gérard,Christophe,Joseph,Julien,Maurice,Laurent,Frédéric,Éric,David,Stéphane,Pascal,Sébastien,Alexandre,Thierry,Olivier,Thomas,Antoine,Raymond,Guillaume,Lucien,Vincent,Jérôme,Didier,Denis,Mathieu,Gabriel,Léo,Raphaël,Arthur,Hugo,Jules,Maël,Lucas,Adam,Nathan,Théo,Noah,Tom,Ethan,Sacha,Gabin,Enzo,Timéo,Maxime,Baptiste,Quentin,Romain,Kévin,Florian,Clément,Benjamin,Adrien,Arnaud,Aurélien,Benoît,Cédric,Damien,Dominique,Emmanuel,Fabien,Fabrice,Franck,Grégoire,Hervé,Jean-Luc,Jean-Marc,Jean-Paul,Lionel,Loïc,Ludovic,Marc,Mickaël,Noël,Pascal,Rémi,Sylvain,Xavier,Yann,Yves,Bruno,Charles,Édouard,Étienne,Félix,Gaspard,Hector,Honoré,Marius,Octave,Victor,Valentin,Bastien,Corentin,Gaëtan,Jonathan,Matthieu,Régis,Samuel"),
			NOLIST,
			L("Martin,Bernard,Thomas,Petit,Robert,Richard,Durand,Dubois,Moreau,Laurent,Simon,Michel,Lefebvre,Leroy,Roux,David,Bertrand,Morel,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,Rousseau,Vincent,Muller,Lefèvre,Faure,André,Mercier,Blanc,Guérin,Boyer,Garnier,Chevalier,François,Legrand,Gauthier,Garcia,Perrin,Robin,Clément,Morin,Nicolas,Henry,Roussel,Mathieu,Gautier,Masson,Marchand,Duval,Denis,Dumont,Marie,Lemaire,Noël,Meyer,Dufour,Meunier"),
			L("Beau,Bel,Mont,Ville,Roche,Val,Bois,Champ,Clair,Fon,Mar,Pont,Lan,Lau,Mal,Vau,Dam,Gran,Bour,Châtel,Haute,Mor,Saint-Cyr,Le Bret,La Font,Du Pré,Des Champs,Dela,Ver,Bonne,Chante,Belle,Fer,Rive,Sau,Bel-Air,Croix,Fonte,Laba,Ros"),
			L("mont,fort,lieu,champ,val,court,pré,noir,vert,blanc,ville,bois,lac,château,fontaine,roche,pierre,mare,moulin,rive,lande,tour,vaux,ier,on,et,ard,eau,ot,in,ac,ay,ois,and,eux,ière,elle,erre,eil,anne"),
			L("de la Paix,Victor Hugo,Jean Jaurès,de la République,du Général de Gaulle,Pasteur,de l'Église,Voltaire,des Écoles,du Moulin,de la Gare,Émile Zola,Gambetta,des Lilas,du Château,de Verdun,Jules Ferry,de la Liberté,des Tilleuls,Carnot,Nationale,du Stade,des Roses,de la Mairie,du Port,Saint-Michel,des Acacias,du Marché,de Paris,Molière,Anatole France,de la Fontaine,du Commerce,des Peupliers,de Lattre de Tassigny,du Pont,de Bretagne,des Vignes,Louis Pasteur,de la Forêt"),
			L("rue,avenue,boulevard,place,chemin,allée,impasse,quai,route,square"),
			L("Paris,Marseille,Lyon,Toulouse,Nice,Nantes,Montpellier,Strasbourg,Bordeaux,Lille,Rennes,Reims,Toulon,Saint-Étienne,Le Havre,Grenoble,Dijon,Angers,Nîmes,Villeurbanne,Clermont-Ferrand,Le Mans,Aix-en-Provence,Brest,Tours,Amiens,Limoges,Annecy,Perpignan,Boulogne-Billancourt,Metz,Besançon,Orléans,Rouen,Mulhouse,Caen,Nancy,Argenteuil,Montreuil,Roubaix,Tourcoing,Avignon,Poitiers,Pau,La Rochelle,Colmar,Chambéry,Lorient,Quimper,Valence,Troyes,Bayonne"),
			L("Conseil,Industries,Transports,Services,Distribution,Bâtiment,Immobilier,Informatique,Assurances,Ingénierie,Logistique,Électricité,Menuiserie,Boulangerie,Imprimerie,Paysage,Énergie,Études,Patrimoine,Technologies"),
			L("{L} {W} SARL,{L} et Fils,Groupe {L},{L} {W} SAS,{L} & {L} SA,{W} de {C}"),
			L("{#} {T} {S}"),
			L("0% ## ## ## ##,+33 % ## ## ## ##,0%.##.##.##.##"),
			L(LOREM_LATIN),
		},
		"%####", "FR", false, false, true, " "
	},
	{
		"es_ES",
		{
			L("María,Carmen,Ana,Isabel,Laura,Cristina,Marta,Lucía,Dolores,Pilar,Paula,Elena,Sara,Rosa,Raquel,Antonia,Manuela,Mercedes,Francisca,Beatriz,Julia,Silvia,Teresa,Patricia,Rocío,Irene,Alba,Andrea,Nuria,Montserrat,Encarnación,Sofía,Martina,Valeria,Daniela,Carla,Claudia,Alejandra,Noelia,Inmaculada,Sonia,Marina,Eva,Verónica,Ángela,Natalia,Susana,Yolanda,Concepción,Esther,Josefa,Lorena,Miriam,Alicia,Consuelo,Amparo,Gloria,Inés,Lidia,Nerea,Ainhoa,Leire,Aitana,Lola,Jimena,Vega,Olivia,Emma,Valentina,Chloe,Adriana,Aurora,Blanca,Candela,Celia,Clara,Esperanza,Estefanía,Eugenia,Fátima,Guadalupe,Helena,Itziar,Jacinta,Lourdes,Luisa,Macarena,Magdalena,Milagros,Nieves,Olga,Remedios,Rebeca,Soledad,Tamara,Trinidad,Vanesa,Virginia,Ximena,Zoe,Abril,Adela,Almudena,Araceli,Belén,Begoña,Catalina,Emilia,Estrella,Gema,Judit,Lara,Leticia,Marisol,Matilde,Noemí,Paloma,Pepa"),
			NOLIST,
			L("Antonio,José,Manuel,Francisco,David,Juan,Javier,Daniel,José Antonio,Francisco Javier,José Luis,Carlos,Jesús,Alejandro,Miguel,José Manuel,Rafael,Pablo,Pedro,Ángel,Sergio,Fernando,Jorge,Luis,Alberto,Álvaro,Juan Carlos,Adrián,Diego,Juan José,Raúl,Iván,Rubén,Enrique,Óscar,Ramón,Andrés,Vicente,Joaquín,Santiago,Víctor,Mario,Eduardo,Roberto,Jaime,Ignacio,Marcos,Hugo,Martín,Lucas,Mateo,Leo,Alex,Enzo,Marco,Gonzalo,Nicolás,Emilio,Julián,Tomás,Agustín,Alfonso,Alfredo,Armando,Arturo,Benito,Bernardo,Cristóbal,Domingo,Esteban,Felipe,Félix,Gabriel,Gerardo,Gregorio,Guillermo,Gustavo,Héctor,Hernán,Íñigo,Isidro,Jacinto,Jordi,Leandro,Lorenzo,Marcelo,Mariano,Mauricio,Nacho,Nicanor,Octavio,Pascual,Patricio,Ricardo,Rodrigo,Salvador,Samuel,Sebastián,Simón,Teodoro,Valentín,Xavier,Aitor,Asier,Iker,Unai,Pau,Marc,Pol,Joan,Oriol,Bruno,Dario,Izan,Thiago,Aarón,Eric"),
			NOLIST,
			L("García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Martín,Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Alonso,Gutiérrez,Navarro,Torres,Domínguez,Vázquez,Ramos,Gil,Ramírez,Serrano,Blanco,Molina,Morales,Suárez,Ortega,Delgado,Castro,Ortiz,Rubio,Marín,Sanz,Núñez,Iglesias,Medina,Garrido,Cortés,Castillo,Santos,Lozano,Guerrero,Cano,Prieto,Méndez,Cruz,Calvo,Gallego,Vidal,León,Márquez,Herrera,Peña,Flores,Cabrera,Campos,Vega,Fuentes,Carrasco,Diez,Caballero,Reyes,Nieto,Aguilar,Pascual,Santana,Herrero,Lorenzo,Montero,Hidalgo,Giménez,Ibáñez,Ferrer,Durán,Santiago,Benítez,Mora,Vicente,Vargas,Arias,Carmona,Crespo,Román,Pastor,Soto,Sáez,Velasco,Moya,Soler,Parra,Esteban,Bravo,Gallardo,Rojas"),
			L("Alba,Bel,Cas,Cer,Val,Mon,Villa,Torre,Fuen,Berro,Olive,Pala,Cabe,Esco,Gar,Lar,Mar,Mira,Orte,Pine,Quin,Ribe,Sala,Saave,Tole,Urbi,Vela,Zamo,Agui,Bal,Barre,Campi,Casti,Echeve,Goi,Iri,Lasa,Mendi,Oli,Sota"),
			L("ra,nte,llo,ro,dra,rdo,ña,tes,ves,nes,rría,zábal,goitia,buru,rena,lla,ral,ro,tín,das,nca,nilla,jo,ndo,guer,llas,dano,ría,zar,na,tor,ller,rez,llar,sca,don,rrán,ner,ola,nte"),
			L("Mayor,Real,de Alcalá,del Sol,de la Constitución,Gran Vía,de España,San Juan,de Cervantes,del Carmen,Nueva,de la Paz,de Goya,de Velázquez,del Prado,de Colón,San Antonio,de la Iglesia,del Mar,de los Reyes Católicos,Santa Ana,del Rosario,de Andalucía,de Castilla,de Valencia,de Galicia,del Pilar,de la Estación,de Santiago,del Río,de la Libertad,de Picasso,de Lorca,de Machado,de la Alameda,del Olivo,de las Flores,de la Fuente,del Puerto,de Toledo"),
			L("Calle,Avenida,Plaza,Paseo,Camino,Ronda,Travesía,Carrera,Glorieta,Callejón"),
			L("Madrid,Barcelona,Valencia,Sevilla,Zaragoza,Málaga,Murcia,Palma,Las Palmas,Bilbao,Alicante,Córdoba,Valladolid,Vigo,Gijón,Hospitalet,Vitoria,La Coruña,Granada,Elche,Oviedo,Badalona,Terrassa,Cartagena,Jerez,Sabadell,Móstoles,Santa Cruz de Tenerife,Pamplona,Almería,Alcalá de Henares,Fuenlabrada,San Sebastián,Burgos,Santander,Castellón,Albacete,Getafe,Alcorcón,Logroño,Badajoz,Salamanca,Huelva,Marbella,Lleida,Tarragona,León,Cádiz,Jaén,Ourense,Girona,Toledo,Segovia,Cáceres"),
			L("Construcciones,Transportes,Servicios,Distribuciones,Inmobiliaria,Consultores,Ingeniería,Logística,Alimentación,Seguros,Tecnologías,Electricidad,Reformas,Asesores,Gráficas,Jardinería,Energía,Textil,Muebles,Viajes"),
			L("{W} {L} S.L.,{L} y Asociados,{W} {L} S.A.,{L} e Hijos S.L.,{W} de {C} S.L.,Grupo {L}"),
			L("{T} {S}{;} {#}"),
			L("%## ### ###,+34 %## ## ## ##,%## ## ## ##"),
			L(LOREM_LATIN),
		},
		"%####", "ES", false, true, false, " "
	},
	{
		"ja_JP",
		{
			/* given names: beginning and ending, each with its reading */
			L("美:み,愛:あい,結:ゆ,優:ゆう,陽:ひ,花:はな,真:ま,彩:あや,千:ち,奈:な,咲:さ,菜:な,莉:り,葵:あおい,凛:りん,杏:あん,朱:あ,沙:さ,紗:さ,明:あき,恵:めぐ,由:ゆ,理:り,香:か,智:とも,早:さ,亜:あ,麻:ま,里:さと,春:はる"),
			L("子:こ,美:み,香:か,奈:な,菜:な,花:か,衣:い,咲:さき,乃:の,音:ね,希:き,佳:か,恵:え,里:り,絵:え,穂:ほ,華:か,実:み,月:つき,海:み,帆:ほ,代:よ,枝:え,織:おり,羽:は"),
			L("大:だい,翔:しょう,陽:はる,蓮:れん,悠:ゆう,健:けん,拓:たく,直:なお,和:かず,浩:こう,誠:まこと,隆:たか,雄:ゆう,正:まさ,康:こう,智:とも,俊:しゅん,亮:りょう,航:こう,颯:そう,湊:みなと,樹:いつき,光:こう,秀:ひで,信:のぶ,達:たつ,勇:ゆう,修:しゅう,晴:はる,海:かい"),
			L("太:た,斗:と,輝:き,人:と,介:すけ,也:や,樹:き,郎:ろう,平:へい,希:き,真:ま,一:いち,二:じ,彦:ひこ,夫:お,志:し,士:し,明:あき,仁:ひと,哉:や,馬:ま,生:き,吾:ご,貴:き,司:じ"),
			L("佐藤:さとう,鈴木:すずき,高橋:たかはし,田中:たなか,伊藤:いとう,渡辺:わたなべ,山本:やまもと,中村:なかむら,小林:こばやし,加藤:かとう,吉田:よしだ,山田:やまだ,佐々木:ささき,山口:やまぐち,松本:まつもと,井上:いのうえ,木村:きむら,林:はやし,斎藤:さいとう,清水:しみず,山崎:やまざき,森:もり,池田:いけだ,橋本:はしもと,阿部:あべ,石川:いしかわ,山下:やました,中島:なかじま,石井:いしい,小川:おがわ,前田:まえだ,岡田:おかだ,長谷川:はせがわ,藤田:ふじた,後藤:ごとう,近藤:こんどう,村上:むらかみ,遠藤:えんどう,青木:あおき,坂本:さかもと,斉藤:さいとう,福田:ふくだ,太田:おおた,西村:にしむら,藤井:ふじい,金子:かねこ,岡本:おかもと,藤原:ふじわら,中野:なかの,三浦:みうら,原田:はらだ,中川:なかがわ,松田:まつだ,竹内:たけうち,小野:おの,田村:たむら,中山:なかやま,和田:わだ,石田:いしだ,森田:もりた"),
			L("山:やま,田:た,中:なか,小:こ,大:おお,高:たか,松:まつ,石:いし,森:もり,川:かわ,井:い,木:き,村:むら,原:はら,野:の,藤:ふじ,岡:おか,島:しま,西:にし,東:ひがし,北:きた,南:みなみ,上:かみ,下:しも,長:なが,竹:たけ,宮:みや,平:ひら,桜:さくら,杉:すぎ,池:いけ,浜:はま,福:ふく,吉:よし,今:いま,市:いち,久:く,秋:あき,若:わか,新:にい,金:かね,前:まえ,岩:いわ,古:ふる,柴:しば"),
			L("田:だ,本:もと,村:むら,川:かわ,野:の,口:ぐち,山:やま,島:じま,原:はら,木:き,井:い,谷:たに,沢:さわ,崎:さき,田:た,部:べ,藤:とう,橋:はし,浦:うら,岡:おか,林:ばやし,塚:づか,尾:お,内:うち,坂:さか,瀬:せ,松:まつ,森:もり,上:がみ,下:した,江:え,中:なか,守:もり,葉:ば,条:じょう,宮:みや,倉:くら,城:しろ,垣:がき,畑:はた"),
			L("桜:さくら,緑:みどり,中央:ちゅうおう,本:ほん,栄:さかえ,旭:あさひ,若葉:わかば,青葉:あおば,東:ひがし,西:にし,南:みなみ,北:きた,港:みなと,泉:いずみ,松原:まつばら,富士見:ふじみ,日吉:ひよし,大和:やまと,朝日:あさひ,清水:しみず,星:ほし,光:ひかり,錦:にしき,千代田:ちよだ,花園:はなぞの,曙:あけぼの,柳:やなぎ,梅:うめ,竹:たけ,宮:みや"),
			L("町:ちょう,台:だい,丘:おか,通:どおり,原:はら,野:の,ヶ丘:がおか,本町:ほんまち"),
			L("東京都千代田区:とうきょうとちよだく,東京都新宿区:とうきょうとしんじゅくく,東京都世田谷区:とうきょうとせたがやく,横浜市:よこはまし,大阪市:おおさかし,名古屋市:なごやし,札幌市:さっぽろし,福岡市:ふくおかし,神戸市:こうべし,川崎市:かわさきし,京都市:きょうとし,さいたま市:さいたまし,広島市:ひろしまし,仙台市:せんだいし,千葉市:ちばし,北九州市:きたきゅうしゅうし,堺市:さかいし,浜松市:はままつし,新潟市:にいがたし,熊本市:くまもとし,相模原市:さがみはらし,岡山市:おかやまし,静岡市:しずおかし,船橋市:ふなばしし,鹿児島市:かごしまし,八王子市:はちおうじし,姫路市:ひめじし,宇都宮市:うつのみやし,松山市:まつやまし,金沢市:かなざわし,長野市:ながのし,奈良市:ならし,那覇市:なはし,盛岡市:もりおかし,高松市:たかまつし,富山市:とやまし,函館市:はこだてし,岐阜市:ぎふし,長崎市:ながさきし,大分市:おおいたし"),
			L("商事:しょうじ,工業:こうぎょう,建設:けんせつ,電機:でんき,製作所:せいさくしょ,物産:ぶっさん,食品:しょくひん,運輸:うんゆ,不動産:ふどうさん,化学:かがく,電子:でんし,印刷:いんさつ,産業:さんぎょう,精機:せいき,システム:しすてむ,通信:つうしん,薬品:やくひん,製菓:せいか,興業:こうぎょう,技研:ぎけん"),
			L("{L}{W}株式会社,株式会社{L}{W},{L}{W}有限会社,{C}{W}株式会社"),
			L("{S}{T}{c}丁目{#}-{#}"),
			L("0%0-####-####,0%-####-####,0%%-##-####"),
			L("これ:これ,それ:それ,日本:にほん,今日:きょう,天気:てんき,会社:かいしゃ,仕事:しごと,時間:じかん,世界:せかい,新しい:あたらしい,大きな:おおきな,小さな:ちいさな,街:まち,人々:ひとびと,生活:せいかつ,未来:みらい,計画:けいかく,情報:じょうほう,技術:ぎじゅつ,文化:ぶんか,自然:しぜん,季節:きせつ,春:はる,夏:なつ,秋:あき,冬:ふゆ,山:やま,海:うみ,空:そら,道:みち,です:です,ます:ます,そして:そして,また:また,の:の,は:は,が:が,を:を,に:に,と:と"),
		},
		"%##-####", "DE", true, false, false, ""
	},
};

/*
 * sk_parse_words
 *		Split a list's source on commas into TopMemoryContext arrays.  An
 *		entry "text:reading" keeps the reading for transliteration.
 */
static void
sk_parse_words(SkWords *words)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	const char *p;
	int			n = 1;
	int			i = 0;

	if (words->src == NULL)
	{
		words->n = 0;
		MemoryContextSwitchTo(old);
		return;
	}
	for (p = words->src; *p; p++)
		if (*p == ',')
			n++;
	words->w = palloc(sizeof(char *) * n);
	words->wlen = palloc(sizeof(int) * n);
	words->ascii = palloc0(sizeof(char *) * n);
	p = words->src;
	while (i < n)
	{
		const char *end = strchr(p, ',');
		const char *colon;
		int			len = end ? end - p : strlen(p);

		colon = memchr(p, ':', len);
		if (colon)
		{
			/* reading kept in ascii[] until transliterated */
			words->w[i] = pnstrdup(p, colon - p);
			words->wlen[i] = colon - p;
			words->ascii[i] = pnstrdup(colon + 1, len - (colon - p) - 1);
		}
		else
		{
			words->w[i] = pnstrdup(p, len);
			words->wlen[i] = len;
		}
		i++;
		p = end ? end + 1 : p + len;
	}
	MemoryContextSwitchTo(old);
	/* set n last: a parse cut short by an ERROR is redone next time */
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

	for (i = 0; i < lengthof(sk_locales); i++)
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
	return "en_US, de_DE, fr_FR, es_ES, ja_JP";
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
	GUC_check_errdetail("Valid locales are: %s.", sk_locale_names());
	return false;
}

/*
 * sk_words
 *		One list of a locale, parsed on first use.
 */
SkWords *
sk_words(SkLocale *loc, SkList list)
{
	SkWords    *words = &loc->lists[list];

	if (words->n < 0)
		sk_parse_words(words);
	return words;
}

/*
 * sk_word_ascii
 *		The lower-case ASCII form of entry i (from its reading when it has
 *		one), transliterated by ICU once per backend.
 */
const char *
sk_word_ascii(SkWords *words, int i)
{
	const char *src;
	char	   *a;
	char	   *mark;
	MemoryContext old;

	/* a leading \x01 marks an entry already transliterated */
	if (words->ascii[i] != NULL && words->ascii[i][0] == '\x01')
		return words->ascii[i] + 1;
	src = words->ascii[i] ? words->ascii[i] : words->w[i];
	a = sk_icu_to_ascii(src, strlen(src));
	old = MemoryContextSwitchTo(TopMemoryContext);
	mark = palloc(strlen(a) + 2);
	mark[0] = '\x01';
	strcpy(mark + 1, a);
	MemoryContextSwitchTo(old);
	words->ascii[i] = mark;
	pfree(a);
	return mark + 1;
}
