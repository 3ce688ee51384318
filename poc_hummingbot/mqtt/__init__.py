"""The MQTT transport of the Hummingbot side: Hummingbot's AI-livestream message format on a Mosquitto
broker, beside the signal file. Clients are aiomqtt (a Hummingbot dependency), each on its own
asyncio loop in its own thread, so no network work ever runs on the strategy's tick."""
