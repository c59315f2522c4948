/*
 * t_crypto_rsa.c - RSA signature verification (lib/crypto/rsa.c) and its
 * bignum (bn.c): known answers, and the malformed signatures and keys that
 * have broken real libraries, each a named test.  The hashes run on the
 * portable path (tb_cpu_set(0)) and on every fast path (tb_cpu_set(~0u));
 * RSA itself has one path.
 *
 * Vectors: RSASSA-PSS example 10.2 of the PKCS #1 v2.1 test vectors
 * (RSA Laboratories, pkcs-1v2-1-vec.zip, pss-vect.txt), records of the
 * NIST CAVP SigVer15_186-3.rsp (PKCS#1 v1.5, 2048 bits, SHA-1), and
 * rsa_vectors.h, made by openssl with the command written at its top
 * (tests/crypto/gen-rsa-vectors.sh).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ct.h"
#include "crypto/rsa.h"
#include "rsa_vectors.h"
#include "tap.h"

/* pss-vect.txt, Example 10: a 2048-bit key; 10.2: SHA-1, a 20-byte salt */
static const char ex10_n[] =
	"a5dd867ac4cb02f90b9457d48c14a770ef991c56c39c0ec65fd11afa8937cea5"
	"7b9be7ac73b45c0017615b82d622e318753b6027c0fd157be12f8090fee2a7ad"
	"cd0eef759f88ba4997c7a42d58c9aa12cb99ae001fe521c13bb5431445a8d5ae"
	"4f5e4c7e948ac227d3604071f20e577e905fbeb15dfaf06d1de5ae6253d63a6a"
	"2120b31a5da5dabc9550600e20f27d3739e2627925fea3cc509f21dff04e6eea"
	"4549c540d6809ff9307eede91fff58733d8385a237d6d3705a33e39190099207"
	"0df7adf1357cf7e3700ce3667de83f17b8df1778db381dce09cb4ad058a51100"
	"1a738198ee27cf55a13b754539906582ec8b174bd58d5d1f3d767c613721ae05";
static const char ex10_2_msg[] =
	"dd670a01465868adc93f26131957a50c52fb777cdbaa30892c9e12361164ec13"
	"979d43048118e4445db87bee58dd987b3425d02071d8dbae80708b039dbb64db"
	"d1de5657d9fed0c118a54143742e0ff3c87f74e45857647af3f79eb0a14c9d75"
	"ea9a1a04b7cf478a897a708fd988f48e801edb0b7039df8c23bb3c56f4e821ac";
static const char ex10_2_sig[] =
	"14ae35d9dd06ba92f7f3b897978aed7cd4bf5ff0b585a40bd46ce1b42cd27030"
	"53bb9044d64e813d8f96db2dd7007d10118f6f8f8496097ad75e1ff692341b28"
	"92ad55a633a1c55e7f0a0ad59a0e203a5b8278aec54dd8622e2831d87174f8ca"
	"ff43ee6c46445345d84a59659bfb92ecd4c818668695f34706f66828a8995963"
	"7f2bf3e3251c24bdba4d4b7649da0022218b119c84e79a6527ec5b8a5f861c15"
	"9952e23ec05e1e717346faefe8b1686825bd2b262fb2531066c0de09acde2e42"
	"31690728b5d85e115a2f6b92b79c25abc9bd9399ff8bcf825a52ea1f56ea76dd"
	"26f43baafa18bfa92a504cbd35699e26d1dcc5a2887385f3c63232f06f3244c3";

/*
 * NIST CAVP, 186-3rsatestvectors.zip, SigVer15_186-3.rsp, [mod = 2048],
 * SHAAlg = SHA1: the first records of its first two moduli, with their
 * Result (P pass, F fail; NIST does not say what an F record breaks).
 */
static const char sv15_n1[] =
	"ddc1676352ca011a235db9b4bb41eab81a9f3447a34c3626a531e3319665edd9"
	"c9e269788323ac7f2db36b9106f4b2148b7c7a309a0b7482ff08cc97c792bf8e"
	"2319f42aa51078a29a4ff90c0e29563059a8608e8809a04bf45f1334b23631d9"
	"9253ba230dc640ffc3a70c27ce5fc7ebd1adfe68e4462790007b39f5d5b47dd9"
	"bd04d0d08ac3b586fd6cc8e178d52ecbc09434d4b89d83cadef6c53cce17788e"
	"87b551aa0b507893f308e23da919a4aa01183ddc831a99a3e3c4e5bffdc7e8c8"
	"b6800699abdf11569ba66e5892b2e55c6f8578a12f5e304dc28ffbd5ee2dfd2b"
	"afabac77ba67031f588e73cf7ba344396d166f5392ad36187b45e15916aaf5b7";
static const char sv15_n2[] =
	"8cff9858fa12773ef90c10e8f142f69c0350772f999ff10ba2a5ec71cbee037f"
	"3a78a1c46028150a0004fd0198bb8175fa30fd9765a4e2c679124ded055cd37d"
	"4102b5e695d91b58bbb44e72c136c5e3da43b4e6d5604edc36774c353a729bb1"
	"647f4a33d74ccb70f7b003617bab798887b8f65cbe11aa8349dbfc0f5036042d"
	"6cd4c49b10634fdd9d9cbf61d9f85c94ae98cbf77172c61696434ebc2ac6ae8f"
	"678f0e4029eacc8fb1699916bdce026cd94780de58a707659ff650dae7599b6b"
	"1b6337323832b45a4ede37fba87051658e79248fcebde7c36009954919c87f83"
	"6a2084d88f5237f72f4d208412e91ff6f3252574df7c00334a0fcf8fcc7ecc2b";
static const struct sv15 {
	const char *n, *e, *msg, *s;
	int pass;
} sv15[] = {
	{ sv15_n1, "748d77",
	    "9e7d8a94561c95facc082974fcdbcb813e1b37fdcbb1013a7d9c7c53d6e6dbbd"
	    "44d7961fa36a106404fd760ead4ceacd61a0e150e144c95bb239f01a212aa1b5"
	    "85a29024c47d7745189d022b13dee9b9e14b5b70ce92a38607b50638a503ea61"
	    "e7473e4abf3f15c4914f947437770f6f48836f079a81d7e4057887566a5700e9",
	    "cd0a22729f6a2eb4c7bd6c1ebcb9510ba1aa6e8921109d7c1fff6f7cfc36691b"
	    "69e89656b9d7cead82356efd740faeddb0e3cba5a98656b841f2e98d296b995b"
	    "758074fbd97af3baa4b28e9df89e9246eed76ae3eca1bd213a81b5d15411dff6"
	    "48b887a8835fa2f7bb2f78be5c4be8dfb1ef0d6b08319685edc437e56da3c8a5"
	    "32ec8c7382f74859530eef7adffa68ede91e3fe4bd29f43bc8ff813fec7d0a15"
	    "aee6de202e4f32fbce4621807cfab47bc395ac10368d931bd73a86d40a38cfa8"
	    "98668cf76f0f4eff32223c0e452132c36b2c16f228286abe0f3fd4f0eb73e5ad"
	    "989ca19872097948c6152320daed43bc2a98c3468a610d13ca086bd8ea89bbce", 0 },
	{ sv15_n1, "748d77",
	    "2dc3fc128057e1c291f9b55ace78d9473dcd3560a7ac7d1bfc59b301f3bdee5f"
	    "f1b9593f2cba7e96108ec5bfe2763728a37c884c370655e1c6acaa526347c76f"
	    "eb4a24643056b2e7570864b67f16ee41a49acda3c2ad87d73d38342980073dea"
	    "e41f6468d452041e30109a27ee8085f907cf0a4f91c99b6728a6596e9326d739",
	    "bb75bbdbaea3269a01bd9b5e492178b7ec11abfb59d417cd5cdabb8a4b922b0f"
	    "21ae69e9da7a9f628c9cf396bfeb75c836bf734561e68e91fbefeaf0f57f261c"
	    "936bef741527187a5315dbf584f332fe3ed8a44367688e28998675c31f2b1cc3"
	    "fa87faa4abcadff5fc64025c9589149e41c45a5037fe1c27d320d5a40ab6119b"
	    "639ba052ad1d8a0339fd3a03f1356bcbc056c4f604862df36b66685feccfe5f9"
	    "3f2fe0c957a02e8d41a574ab0e56d8672d338de761fc9e9a1b801ac5dbd56c15"
	    "92efa77f782d1dce3531efa5c7f569ddc313f5dce62466ddf269bd5b780f7c7c"
	    "68b5232e1f77f7b4a8eef8a978eeb56d691c3e4a95965867c61d3c8e7badda1f", 1 },
	{ sv15_n1, "748d77",
	    "02e74a1d1d61bc6c856a20fecdd64c6a011542b3e7629c1c843e2d3ee21de557"
	    "115ff5e56c8134741d95c1b4e4efeace14224df8de2b3d48d1eb68c5a2dbb6c4"
	    "29fb7472ad0bb1ad61fee8182eace06eb3c7d1168b10c8f8ceca4c90da6f4240"
	    "53a30eeb6866fbbf588ddd523573f5f1e9ec1435767a03d682c423c412435174",
	    "7aaab14a1a89468ab4b583a8ad03df515e5d34b0c36eeabff6c4532385d448ce"
	    "99e4ba35c927751cd499fe3080e004a903afe833667965fbd2d97f8a4b617f80"
	    "5ec88bba1133c5c304e2183797887db331a597d1e5f673264f6fcce750b504ed"
	    "24fc066af248833d42cee935779bcfa02b73dcd29254b4dcbe831b70c289f699"
	    "8884bd216f320e4615fec8181d17654b7201b62e8610e69dbd8cbad6de1a5cc1"
	    "b4619b2680e7ddc27c02a9b8dde6efecf0f6c4551bd38b46f10e78692887bfae"
	    "9cde1cca4e33733797144c6cded6b58cde54c5b877e5d10d4775200c0f4eff5c"
	    "cde7a42788ac22f762411da48826b670297f2b07435d61a31e063ec1a2791a32", 0 },
	{ sv15_n1, "748d77",
	    "4b4f319b5c8c53e7a4749c4ee58b0b25365a96da57721b2044af994c0abaa0ff"
	    "dad106065ccbdc7e4556a03c2c84b46c9a860f7760b7332b2ddc5f165fa90532"
	    "1a887ec89797fd8ebfefc212f92c905c402a60cf780c57510283f6ac8e4d9133"
	    "30fb02a8b7f89e5d3ac7689af38c853f50cef0aa487b6fdbec2cc6d63eab2a49",
	    "1ee9549fc8cf651a593e8c4516cb1b3d58099e6334b2b35c5da1e1c549e4a776"
	    "9e92d51b52f622d5da43f8778c0e0f860f7e3a02268ab7a64523c0eddfd7db79"
	    "41896a67bb33895d577be6c8c86af72d4e2feb5968eb2f04e462a2ed9e648c36"
	    "c2d6667832a640d393fc11494a7379fb4fd6f0bff27718d8c9cfe0c9f2dd8247"
	    "2dbb6b751a5398be3f9aa67919461efa7bac3c6d5fc42b2149acdf29f8a30a98"
	    "ac89a6a48833a3b2658111094372616986479256617247e60d95bf797b503d0d"
	    "fc61b6336beed318d36e9f3575454cae1df787ff7f163f40598694ac891e09f7"
	    "43e02f442a1ab5ce1148cb66fde982ccb8ec945e59c57cfd5747cd5de5f3bf12", 0 },
	{ sv15_n1, "8ffac3",
	    "f62e0e07bb71ca7f93736ce1d2c29a4fe7a5c8769955a364916ab09a19943063"
	    "238b48648d495e73a376c6ade6249ec20cbcf69447383501ca93b7fc8a7ebbe3"
	    "41557d0cb9519fa247ffcdaf95f1a179a5b3c4121300572b9b369129da08a97b"
	    "5973f62ac7f355b186f6cb106a916b1cbd727a198616d28a0a3c84489499c1d2",
	    "66b378c5fa44c443f0ec885d55dc877612246703342fc8ef38a98c26325e52b9"
	    "772f30d29f4a23b67153cdab1f84a615208ef809d84be83c57cce32ec9f9dd07"
	    "a64af14f964c73d5a8f9fbafc07a68dd046cfed8e1c54c6fed3a4bb7c9ec153b"
	    "64bb6c1591f1f78f834c44153da1dafbaaa9d44b8406108d70577ea8497b33aa"
	    "09c5f2b63906949f1ac098d34c82a80a37d2f4164ea88bcaa30ead54f3b03914"
	    "85a8eba084de3be452de37dc52d278d757c70c1b75bc1ce7c1441b0cfed2ec5e"
	    "045bd77e732715c593e2a3b21ad81f7f92b6eb9ab23f84cfbdadfc89c75dd447"
	    "4e752bcf479805f2b4fc5b953e2aa82b72044fb865cc93124096c14e0a645947", 0 },
	{ sv15_n1, "748d77",
	    "60c3a8bb6b10b30395cb1a4b8faf39cabe5cc3b79057b769115390bdb9afbdb8"
	    "883f506d564ffa2164e537ae3647c625a5bd5cb7309899d693733b979bb9925b"
	    "386834aed414f16fe32e0932bb869de2a60f64ab36e29f16d9864f76ad6fa584"
	    "96c4ba468d6680353b2df99ec675a649ebd943594d3eb1730c1434229ad8de7a",
	    "5d36b5e092060e763963b87b41b027a1356a1d5068c8ddee205f0b012c27d690"
	    "6e75ec2fa93cb840d69ff3c149653802659ef116c7d740afd3c4050193cb4884"
	    "93a9bf1025ff3918ffdb073e5b2f705eb771e1e7c91dbb9a9e18b1a36951d606"
	    "71e25e4042776ca265bbba032b1dd5aae000737c49583450e072c4571ece1b5a"
	    "f9403bec0ee4eeb1e14165c8df6d2eeb93f10ba3dbcb9ff92abc2773d044560f"
	    "a162e9e5b7f6915184e6ff3548df75ef7fdc8f2c869edbcb1b4a6598fd1acaa3"
	    "94f501eefc3fe5e6945f4143509d6cf8b4c8418e4f26f53400fc50d00cc4491a"
	    "d16b58785fcc6f123d52b482764225f66998b3abc3b3e2d5e8741f3170ecc574", 0 },
	{ sv15_n2, "0b8f69",
	    "3ac87eafcf45920e233638ed4caa54765db4b801dd143ad978130943f5af41bc"
	    "68f8bc83a9ba2c57045c668232080116880d20776f818c19142a068b619fdbb5"
	    "2baab85eadf1c0f135d5dc801d9b5209fdc99af81fd36dee33f71ec144662dc4"
	    "eba41a48c33177621c6941eff4a970d623b3cd8dd55404df3d44faec884d6071",
	    "80ab1f8e28c9f939a7a15a6f81b41547e8497b5ba2dd08333243352e9d7aa347"
	    "dcde6200a5e1cfc8136d3c59999ee571347c8a48d91e185d0b08ca31c8ea83d5"
	    "78f0fea6ad38c820d68b10221d493ea93e065fd846340ae09b94c6dcb78cffc7"
	    "9b958540689455734a9adebbbe50bed6e998e957079d11812bc2b4b497f9b9fc"
	    "1496a639e021337d86c4df2bae4a065fe69e517655a571369a4454a1e2937068"
	    "9f8866375fad63075ef189f0ec3b686b5f3f02ae84c99ea67701d6906ad867d0"
	    "dabef4f210e533d7daceda12ee0ad2a6826178503ae472f278b7f25d51c1fe8e"
	    "f4b3d61da0928f4d7315abb27e570ec36fbdfbb4e3158e29b4605e1b082e56ef", 1 },
	{ sv15_n2, "0b8f69",
	    "e88292f68268095c2d1059d6c671ee2cc3bc8734748f97a2896ceb22d56b8ea4"
	    "512beaf7640e2f9a61a6f9cf526a2df0f4ae230602d20b98b6b989c18e7ca385"
	    "4c60dd654006a231c9e2e61e1aee0a193aa0005a4e19af3b1b9f994bc74dbb9e"
	    "df09b4689fb72aca6dac6aeca6664e4c9d7a6456e1cd4c34bf0762e708459e97",
	    "4b40e154df4538c2de6fc13cd93522acb23305b40890ae9e9ef33df58d0d1ada"
	    "511346126fcd55fca4206bf3bf988c2967ade215538b818303596ffc33d4ae05"
	    "ffb321ff303fa9a2b87b5467723dd1e036633398e15d9abe62d9f7528b1f31f3"
	    "ad6ab70fd5af6029da4a961d006d7ff0f6b7e2f9181fdc47ed5fe0f74802e9d6"
	    "3249bd394bd6b570187dadb42a1ebb38bf1c78ba5b57c0a97ae29a6c9f8680b4"
	    "93a44c4909790143aaf12152d56df38864a36231f558c624077a00ef3619c58f"
	    "7ebad4cdf706c4b2a47c6525c76b78f5473b57a0802432dcc67230fce82c87e4"
	    "1282b7e8f9855bf72f0770dd6be3f7fd260a435d51c1f2323257b507f97a7c38", 0 },
	{ sv15_n2, "d0d14f",
	    "3853cd6d1384358712da7c1c583afee73fea00ee4aaf41be5c32d2f827a8280c"
	    "e6b270454f822206c340d953c9ac6292ba041293be285dcff6fca5edfb0e508b"
	    "88791d3a7309b8cae29f8cc9bbd7d8465ce905da8dcd37eab2a3222646511f55"
	    "846e7e55675f1e5dd5bf3c861705898a8d607fcba0e6f497f7eef0aaeebabcf4",
	    "55dd7641ead751bc1b160724dd86e89497764119a998d5f800f97defe942aedc"
	    "5cd2c8413918ac107a705dab99bdb182037f051b61932fd4d41f0a890f6db996"
	    "cf99d210084536e3711653ab4ee5ce5b066a569306983c2f5b6c00c51fa49774"
	    "f33c13565b95e832588ad2c004b81887c3df340096920908979e6f168c881806"
	    "2cb04391f5649869e35efe762628f49d6751b7a3e0b184e9f935f591e4f2a1db"
	    "158cb78f8e256c74c294ff424bc2efd3145cb234af88c623afa67b3eae68b91d"
	    "c16a99ca36fca81653aa3ea47338c5a5a2a5b2340cff80672767f6e9549c6ade"
	    "be6a84a4232560ad431a5f42a3ded809fda302ea7ce944ea3e7be7853704e1ea", 0 },
};

static const uint8_t e65537[] = { 0x01, 0x00, 0x01 };
static uint8_t nb[TB_RSA_MAX_BYTES + 8], sig[TB_RSA_MAX_BYTES + 8], dg[TB_HASH_MAX];
static uint8_t buf[2 * TB_RSA_MAX_BYTES];
static size_t nlen, slen;

/* the key of hex modulus nh and e = 65537; 0 or -1 */
static int
key(struct tb_rsa_pub *p, const char *nh, unsigned minbits)
{
	nlen = tap_hex(nh, nb, sizeof nb);
	return tb_rsa_pub_set(p, nb, nlen, e65537, sizeof e65537, minbits);
}

static int
pkcs1(const struct tb_rsa_pub *p, const struct tb_hash *h, const char *dh, const char *sh)
{
	tap_hex(dh, dg, sizeof dg);
	slen = tap_hex(sh, sig, sizeof sig);
	return tb_rsa_verify_pkcs1(p, h, dg, sig, slen);
}

static int
pss(const struct tb_rsa_pub *p, const struct tb_hash *h, const char *dh, const char *sh,
    size_t saltlen)
{
	tap_hex(dh, dg, sizeof dg);
	slen = tap_hex(sh, sig, sizeof sig);
	return tb_rsa_verify_pss(p, h, dg, sig, slen, saltlen);
}

/* a^e mod n for one limb, the slow way, to check the Montgomery code */
static uint64_t
ref_exp(uint64_t a, uint64_t e, uint64_t n)
{
	unsigned __int128 r = 1, b = a % n;

	for (; e; e >>= 1) {
		if (e & 1)
			r = r * b % n;
		b = b * b % n;
	}
	return (uint64_t)r;
}

static void
test_bn(void)
{
	static const uint64_t mods[] = { 3, 0xffffffffffffffc5ull, 0x8000000000000001ull,
	    1000000007, 0xc3a5c85c97cb3127ull };
	static const uint64_t exps[] = { 1, 3, 65537, 0xffffffffull, 17 };
	struct tb_mont m;
	uint64_t a[TB_BN_LIMBS], r[TB_BN_LIMBS], n[TB_BN_LIMBS];
	uint8_t b[16];
	size_t i, j;

	TEST("bn: one-limb Montgomery exponentiation matches a plain modular power") {
		for (i = 0; i < sizeof mods / sizeof mods[0]; i++) {
			n[0] = mods[i];
			CHECK_EQ(tb_mont_init(&m, n, 1), 0);
			for (j = 0; j < sizeof exps / sizeof exps[0]; j++) {
				a[0] = (0x9e3779b97f4a7c15ull * (i + 1) + j) % mods[i];
				tb_mont_exp(&m, r, a, exps[j]);
				CHECK(r[0] == ref_exp(a[0], exps[j], mods[i]));
			}
		}
	}
	TEST("bn: an even modulus, zero limbs or a zero top limb are refused") {
		n[0] = 10;
		CHECK_EQ(tb_mont_init(&m, n, 1), -1);
		n[0] = 11;
		CHECK_EQ(tb_mont_init(&m, n, 0), -1);
		n[1] = 0;
		CHECK_EQ(tb_mont_init(&m, n, 2), -1);
		n[0] = 1;
		CHECK_EQ(tb_mont_init(&m, n, 1), -1);
	}
	TEST("bn: bytes in and out (OS2IP, I2OSP), with leading zeros and overflow") {
		static const uint8_t in[10] = { 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

		CHECK_EQ(tb_bn_from_bytes(a, 1, in, sizeof in), 0);
		CHECK(a[0] == 0x0102030405060708ull);
		CHECK_EQ(tb_bn_to_bytes(b, 8, a, 1), 0);
		CHECK_MEM(b, in + 2, 8);
		CHECK_EQ(tb_bn_to_bytes(b, 10, a, 1), 0);
		CHECK_MEM(b, in, 10);
		CHECK_EQ(tb_bn_to_bytes(b, 7, a, 1), -1);
		CHECK_EQ(tb_bn_from_bytes(a, 1, (const uint8_t *)"\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9), -1);
		CHECK_EQ(tb_bn_bits(a, 1), 57);
		a[0] = 0;
		CHECK_EQ(tb_bn_bits(a, 1), 0);
	}
}

static void
test_vectors(void)
{
	static const struct {
		size_t bits;
		const char *n, *d, *p1, *ps;
		const struct tb_hash *h;
	} v[] = {
		{ 2048, v2048_n, v2048_digest, v2048_pkcs1, v2048_pss, &tb_hash_sha256 },
		{ 3072, v3072_n, v3072_digest, v3072_pkcs1, v3072_pss, &tb_hash_sha384 },
		{ 4096, v4096_n, v4096_digest, v4096_pkcs1, v4096_pss, &tb_hash_sha512 },
		{ 8192, v8192_n, v8192_digest, v8192_pkcs1, v8192_pss, &tb_hash_sha256 },
	};
	struct tb_rsa_pub p;
	char name[96];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(name, sizeof name, "openssl vectors, %zu bits, %s: PKCS#1 v1.5 and PSS verify",
		    v[i].bits, v[i].h->name);
		TEST(name) {
			CHECK_EQ(key(&p, v[i].n, 0), 0);
			CHECK_EQ(p.bits, v[i].bits);
			CHECK_EQ(pkcs1(&p, v[i].h, v[i].d, v[i].p1), 0);
			CHECK_EQ(pss(&p, v[i].h, v[i].d, v[i].ps, v[i].h->len), 0);
			/* and each is refused as the other scheme */
			CHECK_EQ(pkcs1(&p, v[i].h, v[i].d, v[i].ps), -1);
			CHECK_EQ(pss(&p, v[i].h, v[i].d, v[i].p1, v[i].h->len), -1);
		}
		snprintf(name, sizeof name, "openssl vectors, %zu bits: a flipped digest bit is refused",
		    v[i].bits);
		TEST(name) {
			CHECK_EQ(key(&p, v[i].n, 0), 0);
			tap_hex(v[i].p1, sig, sizeof sig);
			tap_hex(v[i].d, dg, sizeof dg);
			dg[v[i].h->len - 1] ^= 0x01;
			CHECK_EQ(tb_rsa_verify_pkcs1(&p, v[i].h, dg, sig, p.len), -1);
			tap_hex(v[i].ps, sig, sizeof sig);
			CHECK_EQ(tb_rsa_verify_pss(&p, v[i].h, dg, sig, p.len, v[i].h->len), -1);
			dg[v[i].h->len - 1] ^= 0x01;
			CHECK_EQ(tb_rsa_verify_pss(&p, v[i].h, dg, sig, p.len, v[i].h->len), 0);
		}
	}
	TEST("openssl vector, 2048 bits, sha1: PKCS#1 v1.5 verifies, not as another hash") {
		CHECK_EQ(key(&p, v2048_n, 0), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha1, v2048_sha1_digest, v2048_sha1_pkcs1), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha384, v2048_digest, v2048_pkcs1), -1);
	}
	TEST("NIST CAVP SigVer15_186-3 [mod = 2048] SHA-1: P records verify, F ones do not") {
		for (i = 0; i < sizeof sv15 / sizeof sv15[0]; i++) {
			uint8_t e[4], msg[128];
			size_t el = tap_hex(sv15[i].e, e, sizeof e);
			size_t ml = tap_hex(sv15[i].msg, msg, sizeof msg);

			nlen = tap_hex(sv15[i].n, nb, sizeof nb);
			CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e, el, 0), 0);
			tb_sha1(msg, ml, dg);
			slen = tap_hex(sv15[i].s, sig, sizeof sig);
			CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha1, dg, sig, slen),
			    sv15[i].pass ? 0 : -1);
		}
	}
	TEST("PKCS#1 v2.1 pss-vect.txt example 10.2 (2048 bits, sha1, 20-byte salt)") {
		uint8_t msg[128];
		size_t ml = tap_hex(ex10_2_msg, msg, sizeof msg);

		CHECK_EQ(key(&p, ex10_n, 0), 0);
		tb_sha1(msg, ml, dg);
		slen = tap_hex(ex10_2_sig, sig, sizeof sig);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 20), 0);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 19), -1);
		sig[100] ^= 0x40;
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha1, dg, sig, slen, 20), -1);
	}
}

static void
test_signatures(void)
{
	struct tb_rsa_pub p;

	if (key(&p, v2048_n, 0) != 0) {
		TEST("the 2048-bit vector key loads") CHECK(0);
		return;
	}
	TEST("signature with leading zero bytes: valid at full length, refused shortened") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, lz_digest, lz_pkcs1), 0);
		CHECK_EQ(sig[0], 0);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig + 1, slen - 1), -1);
	}
	TEST("wrong length signature: one byte short, one byte long (a 00 in front)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig, slen - 1), -1);
		buf[0] = 0;
		memcpy(buf + 1, sig, slen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, slen + 1), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, slen + 1, 32), -1);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, sig, 0), -1);
	}
	TEST("signature >= n: n, n + 1, all ones; n - 1 is in range and wrong") {
		tap_hex(v2048_digest, dg, sizeof dg);
		memcpy(buf, nb, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
		buf[nlen - 1]++;		/* n is odd: no carry */
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		buf[nlen - 1] -= 2;
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		memset(buf, 0xff, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
	}
	TEST("signature + n, the same value mod n, refused (s < n is checked)") {
		unsigned c = 0;
		size_t i;

		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, lz_digest, lz_pkcs1), 0);
		for (i = nlen; i-- > 0;) {
			c += (unsigned)sig[i] + nb[i];
			buf[i] = (uint8_t)c;
			c >>= 8;
		}
		CHECK_EQ(c, 0);		/* lz_pkcs1 is small enough to add n */
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
	}
	TEST("signature 0 and 1 are refused") {
		memset(buf, 0, nlen);
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
		buf[nlen - 1] = 1;
		CHECK_EQ(tb_rsa_verify_pkcs1(&p, &tb_hash_sha256, dg, buf, nlen), -1);
		CHECK_EQ(tb_rsa_verify_pss(&p, &tb_hash_sha256, dg, buf, nlen, 32), -1);
	}
	TEST("raw-signed 00 01 FF.. 00 DigestInfo digest verifies (the control)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_good), 0);
	}
	TEST("wrong padding: a byte of the FF run changed") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_ffrun), -1);
	}
	TEST("wrong padding: the 00 separator missing") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_nosep), -1);
	}
	TEST("wrong padding: block type 00 02") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_bt2), -1);
	}
	TEST("wrong padding: a short FF run with garbage after the digest (Bleichenbacher'06)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_short), -1);
	}
	TEST("wrong DigestInfo: the SHA-384 OID over a SHA-256 digest") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_oid), -1);
	}
	TEST("wrong DigestInfo: NULL parameters absent (only the NULL form is accepted)") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_nonull), -1);
	}
	TEST("trailing garbage after the digest") {
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, em_trail), -1);
	}
	TEST("PSS: the raw-signed unbroken encoded message verifies (the control)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 32), 0);
	}
	TEST("PSS: wrong salt length (0, 20, 31, 33, 64, too long for the key)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 0), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 20), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 31), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 33), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 64), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, 223), -1);
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_good, (size_t)-1), -1);
	}
	TEST("PSS: wrong trailing byte (0xbd, not 0xbc)") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_trailer, 32), -1);
	}
	TEST("PSS: the top bit of maskedDB not zero") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_topbit, 32), -1);
	}
	TEST("PSS: a flipped bit in the salt") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_salt, 32), -1);
	}
	TEST("PSS: a flipped bit in H") {
		CHECK_EQ(pss(&p, &tb_hash_sha256, pss_digest, pss_hash, 32), -1);
	}
}

/* RSAPublicKey DER of the 2048-bit vector key: head, then n, then tail */
static size_t
der(uint8_t *out, const char *head, const char *tail)
{
	size_t n = tap_hex(head, out, 16);

	memcpy(out + n, nb, nlen);
	n += nlen;
	return n + tap_hex(tail, out + n, 32);
}

static void
test_keys(void)
{
	static const uint8_t e3[] = { 3 }, e1[] = { 1 }, eeven[] = { 1, 0, 0 },
	    emax[] = { 0xff, 0xff, 0xff, 0xff }, ebig[] = { 1, 0, 0, 0, 1 },
	    ezero[] = { 0, 0, 1, 0, 1 };
	struct tb_rsa_pub p, q;
	size_t n;

	TEST("modulus too small: 1024 bits refused by default, taken with minbits 1024") {
		CHECK_EQ(key(&p, v1024_n, 0), -1);
		CHECK_EQ(key(&p, v1024_n, 1024), 0);
		CHECK_EQ(key(&p, v1024_n, 512), 0);	/* the floor is 1024 */
		CHECK_EQ(key(&p, v2048_n, 3072), -1);
		CHECK_EQ(key(&p, v3072_n, 3072), 0);
	}
	TEST("modulus too large: 8193 bits refused, 8192 taken") {
		CHECK_EQ(key(&p, v8192_n, 0), 0);
		memset(buf, 0xff, 1025);
		buf[0] = 0x01;
		CHECK_EQ(tb_rsa_pub_set(&p, buf, 1025, e65537, 3, 0), -1);
		buf[0] = 0x00;
		CHECK_EQ(tb_rsa_pub_set(&p, buf, 1025, e65537, 3, 0), 0);
		CHECK_EQ(p.bits, 8192);
	}
	TEST("even modulus refused") {
		key(&p, v2048_n, 0);
		nb[nlen - 1] ^= 1;
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e65537, 3, 0), -1);
	}
	TEST("public exponent: even, 1, above 2^32 refused; 3, 2^32-1, zero-padded taken") {
		key(&p, v2048_n, 0);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, eeven, sizeof eeven, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e1, sizeof e1, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, ebig, sizeof ebig, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e1, 0, 0), -1);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, e3, sizeof e3, 0), 0);
		CHECK_EQ(p.e, 3);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, emax, sizeof emax, 0), 0);
		CHECK_EQ(p.e, 0xffffffffu);
		CHECK_EQ(tb_rsa_pub_set(&p, nb, nlen, ezero, sizeof ezero, 0), 0);
		CHECK_EQ(p.e, 65537);
	}
	TEST("RSAPublicKey DER from openssl parses to the same key") {
		uint8_t d[1100];
		size_t dl = tap_hex(v2048_der, d, sizeof d);

		CHECK_EQ(key(&q, v2048_n, 0), 0);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl, 0), 0);
		CHECK_EQ(p.bits, 2048);
		CHECK_EQ(p.e, 65537);
		CHECK(memcmp(p.m.n, q.m.n, sizeof p.m.n) == 0);
		CHECK(memcmp(p.m.rr, q.m.rr, sizeof p.m.rr) == 0);
		CHECK_EQ(pkcs1(&p, &tb_hash_sha256, v2048_digest, v2048_pkcs1), 0);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl - 1, 0), -1);	/* cut short */
		d[dl] = 0;
		CHECK_EQ(tb_rsa_pubkey_parse(&p, d, dl + 1, 0), -1);	/* trailing byte */
	}
	key(&q, v2048_n, 0);
	TEST("DER: the hand-built encoding parses (the control)") {
		n = der(buf, "3082010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), 0);
	}
	TEST("DER: non-minimal length (81 03 for 3) refused") {
		n = der(buf, "3082010b 0282010100", "028103010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: long-form length with a leading zero byte refused") {
		n = der(buf, "308300010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 028300010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: indefinite length refused") {
		n = der(buf, "3080 0282010100", "0203010001 0000");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: negative modulus (no 00 before a high bit) refused") {
		n = der(buf, "30820109 02820100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: a needless zero byte in an INTEGER refused") {
		n = der(buf, "3082010b 028201020000", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 0282010100", "020400010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
	TEST("DER: empty INTEGER, wrong tags, a third INTEGER, a length past the end") {
		n = der(buf, "30820107 0282010100", "0200");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3182010a 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010a 0382010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010d 0282010100", "0203010001 020101");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010b 0282010100", "0203010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		n = der(buf, "3082010a 0282010100", "0204010001");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, 0, 0), -1);
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, 1, 0), -1);
	}
	TEST("DER: an even exponent inside a well-formed encoding refused") {
		n = der(buf, "3082010a 0282010100", "0203010000");
		CHECK_EQ(tb_rsa_pubkey_parse(&p, buf, n, 0), -1);
	}
}

int
main(void)
{
	unsigned paths[] = { 0, ~0u };
	size_t i;

	test_bn();
	for (i = 0; i < 2; i++) {
		tb_cpu_set(paths[i]);
		printf("# hashes on %s\n", i ? "every fast path" : "the portable path");
		test_vectors();
		test_signatures();
	}
	test_keys();
	return tap_done();
}
